// Package seedbar draws a bulk load's progress (models/bulkload) on a
// terminal: accounts, then tasks, then a line for the index builds and
// statistics that follow and have no row count. `taskapp seed` and
// cmd/dbbench show the same bar.
package seedbar

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Bar is one load's progress. Add is its bulkload.Options.Progress.
type Bar struct {
	bar          *progressbar.ProgressBar
	w            io.Writer
	users, total int64
	done         int64
	// UsersDone and RowsDone are when the accounts, and then every row,
	// were written; zero until then.
	UsersDone, RowsDone time.Time
}

// New returns a bar on w for users accounts and tasks tasks.
func New(w io.Writer, users, tasks int) *Bar {
	total := int64(users) + int64(tasks)
	return &Bar{
		w:     w,
		users: int64(users),
		total: total,
		bar: progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("[1/3] accounts"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			// A million rows arrive in chunks of thousands; redrawing for
			// each would cost more than the terminal is worth.
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		),
	}
}

// Add counts rows just written.
func (b *Bar) Add(rows int) {
	before := b.done
	b.done += int64(rows)
	b.bar.Add(rows)
	if b.done >= b.users && before < b.users {
		b.UsersDone = time.Now()
		if b.done < b.total {
			// After Add: Describe redraws at once, with the new count.
			b.bar.Describe("[2/3] tasks")
		}
	}
	if b.done >= b.total && b.RowsDone.IsZero() {
		// Loading is done; what follows (index builds, statistics) has
		// no row count to show.
		b.RowsDone = time.Now()
		fmt.Fprintln(b.w, "[3/3] indexes and planner statistics…")
	}
}

// Abort ends the bar's line after a failed load.
func (b *Bar) Abort() {
	if b.RowsDone.IsZero() {
		b.bar.Exit()
	}
}
