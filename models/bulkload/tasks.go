package bulkload

import (
	"fmt"
	"math/rand/v2"
	"time"

	"taskapp/models"
)

// taskGen produces the generated tasks one at a time, so a million rows
// never sit in memory at once. It is a pgx.CopyFromSource.
type taskGen struct {
	rng   *rand.Rand
	users []int64
	n, i  int
	end   time.Time
	// dateText writes due dates as "YYYY-MM-DD" text (SQLite's form)
	// rather than a time.Time for a DATE column (PostgreSQL's COPY).
	dateText bool
	row      [7]any
}

// taskColumns are the columns of row, in order.
var taskColumns = []string{"title", "description", "status", "user_id", "created_at", "updated_at", "due_date"}

var sampleTitles = [...]string{
	"Buy groceries", "Write report", "Submit assignment", "Call the plumber",
	"Renew passport", "Plan team offsite", "Review pull request", "Book dentist",
	"Pay electricity bill", "Read chapter 4", "Fix the bike", "Water the plants",
}

// Title is the i-th of the everyday task titles generated tasks take,
// round and round.
func Title(i int) string { return sampleTitles[i%len(sampleTitles)] }

func (g *taskGen) Next() bool {
	if g.i >= g.n {
		return false
	}
	g.i++
	var user int64
	heavy := max(1, len(g.users)/100)
	if g.rng.IntN(5) == 0 {
		user = g.users[g.rng.IntN(heavy)]
	} else {
		user = g.users[g.rng.IntN(len(g.users))]
	}
	created := g.end.Add(-time.Duration(g.rng.Int64N(int64(365 * 24 * time.Hour))))
	updated := created.Add(time.Duration(g.rng.Int64N(int64(72 * time.Hour))))
	if updated.After(g.end) {
		updated = g.end
	}
	var desc any
	if g.rng.IntN(2) == 0 {
		desc = fmt.Sprintf("Generated task %d: details to remember.", g.i)
	}
	status := models.TaskStatuses()[g.rng.IntN(3)]
	// Two tasks in five have a due date, from a month ago to two months
	// ahead, so that Today and Upcoming have something to find.
	var due any
	if g.rng.IntN(5) < 2 {
		d := models.DateOf(g.end).AddDays(g.rng.IntN(90) - 30)
		due = d.Time()
		if g.dateText {
			due = d.String()
		}
	}
	g.row = [7]any{fmt.Sprintf("%s #%d", Title(g.rng.IntN(len(sampleTitles))), g.i), desc, string(status), user, created, updated, due}
	return true
}

func (g *taskGen) Values() ([]any, error) { return g.row[:], nil }
func (g *taskGen) Err() error             { return nil }
