package backup

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/bulkload"
)

// Reader reads a backup file record by record.
type Reader struct {
	// Header is the file's first record, checked by NewReader.
	Header Header
	src    *errReader
	dec    *json.Decoder
	line   int
	// peeked is the first task, read while looking for the end of the
	// users.
	peeked       *record
	users, tasks int64
}

// NewReader reads and checks the header of the backup r holds. A file
// that is not a gzip stream or does not start with a taskapp header is
// ErrNotBackup; a header from a newer format is ErrTooNew.
func NewReader(r io.Reader) (*Reader, error) {
	zr, err := gzip.NewReader(bufio.NewReaderSize(r, 1<<16))
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("backup: the file is empty: %w", ErrNotBackup)
	case errors.Is(err, gzip.ErrHeader):
		return nil, fmt.Errorf("backup: the file is not gzip-compressed: %w", ErrNotBackup)
	case err != nil:
		return nil, damaged(err)
	}
	br := &Reader{src: &errReader{r: zr}}
	br.dec = json.NewDecoder(br.src)
	br.dec.DisallowUnknownFields()
	rec, err := br.next()
	if err != nil {
		return nil, err
	}
	if rec == nil || rec.Header == nil {
		return nil, fmt.Errorf("backup: the first record is not a taskapp backup header: %w", ErrNotBackup)
	}
	br.Header = *rec.Header
	if br.Header.Format > FormatVersion {
		return nil, fmt.Errorf("backup: file format %d, but this taskapp reads format %d at most: %w", br.Header.Format, FormatVersion, ErrTooNew)
	}
	if br.Header.Format < 1 || br.Header.Users < 0 || br.Header.Tasks < 0 {
		return nil, fmt.Errorf("backup: the header is invalid: %w", ErrNotBackup)
	}
	return br, nil
}

// next decodes one record: nil at the end of the file, which also checks
// the gzip trailer (the CRC and length of the whole stream). A record that
// is not JSON of the expected shape makes a file ErrNotBackup on its first
// line and ErrDamaged after that.
func (r *Reader) next() (*record, error) {
	var rec record
	err := r.dec.Decode(&rec)
	if err == io.EOF {
		return nil, nil
	}
	r.line++
	if err != nil {
		if r.src.err != nil && r.src.err != io.EOF {
			return nil, damaged(r.src.err)
		}
		return nil, r.badRecord(err.Error())
	}
	n := 0
	for _, set := range []bool{rec.Header != nil, rec.User != nil, rec.Task != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, r.badRecord("not a header, user or task record")
	}
	return &rec, nil
}

func (r *Reader) badRecord(why string) error {
	if r.line == 1 {
		return fmt.Errorf("backup: the first record is not a taskapp backup header (%s): %w", why, ErrNotBackup)
	}
	return fmt.Errorf("backup: line %d: %s: %w", r.line, why, ErrDamaged)
}

// errReader remembers the last error of the decompressing reader, so that
// a damaged stream is told apart from bad JSON inside a sound one.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// damaged explains a read error from the compressed stream.
func damaged(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("backup: the file ends too soon (truncated): %w", ErrDamaged)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		return fmt.Errorf("backup: the file is corrupt (%v): %w", err, ErrDamaged)
	}
	return fmt.Errorf("backup: %w", err)
}

// Users yields the accounts, in file order. It must be drained before
// Tasks is called.
func (r *Reader) Users() iter.Seq2[*models.User, error] {
	return func(yield func(*models.User, error) bool) {
		for {
			rec, err := r.next()
			switch {
			case err != nil:
				yield(nil, err)
				return
			case rec == nil:
				return
			case rec.Task != nil:
				r.peeked = rec
				return
			case rec.User == nil:
				yield(nil, fmt.Errorf("backup: line %d: a second header: %w", r.line, ErrDamaged))
				return
			}
			r.users++
			if !yield(rec.User.user(), nil) {
				return
			}
		}
	}
}

// Tasks yields the tasks, in file order. At the end of the file it checks
// that the counts match the header, so that a file cut short between
// records is an error too, before the caller commits anything.
func (r *Reader) Tasks() iter.Seq2[*models.Task, error] {
	return func(yield func(*models.Task, error) bool) {
		for {
			rec, err := r.peeked, error(nil)
			if rec != nil {
				r.peeked = nil
			} else {
				rec, err = r.next()
			}
			switch {
			case err != nil:
				yield(nil, err)
				return
			case rec == nil:
				if err := r.checkCounts(); err != nil {
					yield(nil, err)
				}
				return
			case rec.Task == nil:
				yield(nil, fmt.Errorf("backup: line %d: a header or user after the tasks: %w", r.line, ErrDamaged))
				return
			}
			r.tasks++
			if !yield(rec.Task.task(), nil) {
				return
			}
		}
	}
}

func (r *Reader) checkCounts() error {
	if r.users != r.Header.Users || r.tasks != r.Header.Tasks {
		return fmt.Errorf("backup: the header promises %d users and %d tasks, the file holds %d and %d: %w",
			r.Header.Users, r.Header.Tasks, r.users, r.tasks, ErrDamaged)
	}
	return nil
}

// Restore applies pending migrations to store, then loads the backup r
// reads in one transaction (see bulkload.LoadRows). A backup from a newer
// schema than this binary's migrations is refused with ErrTooNew before
// anything is touched.
func Restore(ctx context.Context, store *models.Store, r *Reader, opts bulkload.RowsOptions) error {
	latest, err := migrations.Latest(store.Dialect())
	if err != nil {
		return err
	}
	if r.Header.SchemaVersion > latest {
		return fmt.Errorf("backup: schema version %d, but this taskapp knows schema versions up to %d; restore with the taskapp release that wrote it, or a newer one: %w",
			r.Header.SchemaVersion, latest, ErrTooNew)
	}
	if _, err := store.Migrate(ctx); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := bulkload.LoadRows(ctx, store, r.Users(), r.Tasks(), opts); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
