package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"taskapp/models"
)

// Options are the hooks a caller may give Write.
type Options struct {
	// Start, if set, is told the header before any row is written (the
	// counts size a progress bar).
	Start func(Header)
	// Progress, if set, is told how many rows were just written.
	Progress func(rows int)
}

// Write writes a backup of the whole database to w, from one snapshot:
// the file is consistent even while the server writes. It returns the
// header it wrote.
func Write(ctx context.Context, store *models.Store, w io.Writer, opts Options) (Header, error) {
	h, err := write(ctx, store, w, opts)
	if err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	return h, nil
}

func write(ctx context.Context, store *models.Store, w io.Writer, opts Options) (Header, error) {
	if opts.Start == nil {
		opts.Start = func(Header) {}
	}
	if opts.Progress == nil {
		opts.Progress = func(int) {}
	}
	h := Header{Format: FormatVersion, Dialect: string(store.Dialect()), CreatedAt: stamp(time.Now())}
	bw := bufio.NewWriterSize(w, 1<<16)
	// BestSpeed: a backup holds a snapshot open for as long as it runs,
	// so speed matters more than the last few percent of size.
	zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)

	err := store.InSnapshot(ctx, func(sn *models.Snapshot) error {
		var err error
		if h.SchemaVersion, err = sn.SchemaVersion(ctx); err != nil {
			return err
		}
		if h.Users, h.Tasks, err = sn.Counts(ctx); err != nil {
			return err
		}
		opts.Start(h)
		if err := enc.Encode(record{Header: &h}); err != nil {
			return err
		}
		var users, tasks int64
		tick := func(n *int64) {
			if *n++; *n%1000 == 0 {
				opts.Progress(1000)
			}
		}
		err = sn.Users(ctx, func(u *models.User) error {
			tick(&users)
			return enc.Encode(record{User: fromUser(u)})
		})
		if err != nil {
			return err
		}
		opts.Progress(int(users % 1000))
		err = sn.Tasks(ctx, func(t *models.Task) error {
			tick(&tasks)
			return enc.Encode(record{Task: fromTask(t)})
		})
		if err != nil {
			return err
		}
		opts.Progress(int(tasks % 1000))
		if users != h.Users || tasks != h.Tasks {
			// Cannot happen in a snapshot; if it ever did, the file
			// would not restore, so say so now.
			return fmt.Errorf("snapshot counted %d users and %d tasks but read %d and %d", h.Users, h.Tasks, users, tasks)
		}
		return nil
	})
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	return h, err
}

// WriteFile writes a backup to path. The file appears complete or not at
// all: it is written beside path under a temporary name, synced, then
// renamed; on any error the temporary file is removed.
func WriteFile(ctx context.Context, store *models.Store, path string, opts Options) (Header, int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Header{}, 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	h, err := write(ctx, store, f, opts)
	if err == nil {
		err = f.Sync()
	}
	var size int64
	if err == nil {
		var fi os.FileInfo
		if fi, err = f.Stat(); err == nil {
			size = fi.Size()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return h, 0, fmt.Errorf("backup: %s: %w", path, err)
	}
	return h, size, nil
}
