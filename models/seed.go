package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"taskapp/migrations"
)

// SamplePassword is the password of the sample accounts SeedSample creates
// and of every account SeedVolume generates.
const SamplePassword = "password123"

// SeedSample inserts the schema spec's sample data: two accounts and their
// three tasks, with the spec's timestamps. Running it again changes nothing.
func (s *Store) SeedSample(ctx context.Context) error {
	hash, err := HashPassword(SamplePassword)
	if err != nil {
		return err
	}
	at := func(hhmm string) time.Time {
		t, _ := time.Parse("2006-01-02 15:04", "2025-12-30 "+hhmm)
		return t
	}
	desc := func(s string) *string { return &s }
	users := []struct {
		email string
		tasks []Task
	}{
		{"user@example.com", []Task{
			{Title: "Buy groceries", Description: desc("Milk, eggs, bread"), Status: StatusPending, CreatedAt: at("10:00"), UpdatedAt: at("10:00")},
			{Title: "Write report", Status: StatusInProgress, CreatedAt: at("11:00"), UpdatedAt: at("11:30")},
		}},
		{"user2@example.com", []Task{
			{Title: "Submit assignment", Description: desc("Due Friday"), Status: StatusCompleted, CreatedAt: at("09:00"), UpdatedAt: at("14:00")},
		}},
	}
	db, cancel := s.writer(ctx)
	defer cancel()
	for _, su := range users {
		if _, err := s.UserByEmail(ctx, su.email); err == nil {
			continue // already seeded
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		u := &User{Email: su.email, HashedPassword: hash, CreatedAt: at("10:00"), UpdatedAt: at("10:00")}
		if err := db.Create(u).Error; err != nil {
			return classify("models: seed user", err)
		}
		for i := range su.tasks {
			su.tasks[i].UserID = u.ID
		}
		if err := db.Create(&su.tasks).Error; err != nil {
			return classify("models: seed tasks", err)
		}
	}
	return nil
}

// VolumeOptions says how much SeedVolume generates.
type VolumeOptions struct {
	Users int
	Tasks int
	// Progress, if set, is told how many rows were just written.
	Progress func(rows int)
	// Seed makes the generated data reproducible.
	Seed uint64
}

// SeedEmail is the address of the i-th generated account (1-based).
func SeedEmail(i int) string { return fmt.Sprintf("seed%d@example.com", i) }

// SeedVolume generates opts.Users accounts (seedN@example.com, numbered on
// from any generated before, all with SamplePassword) and opts.Tasks tasks
// among them: on average Tasks/Users each, but skewed so that one user in a
// hundred holds a fifth of all tasks, as real lists are. Timestamps spread
// over the past year. PostgreSQL loads tasks with COPY; SQLite with one
// prepared INSERT in large transactions.
func (s *Store) SeedVolume(ctx context.Context, opts VolumeOptions) error {
	if opts.Users <= 0 {
		return errors.New("models: seed: at least one user is needed")
	}
	if opts.Tasks < 0 {
		return errors.New("models: seed: task count must not be negative")
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(int) {}
	}
	hash, err := HashPassword(SamplePassword)
	if err != nil {
		return err
	}
	ids, err := s.seedUsers(ctx, opts.Users, hash, progress)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(len(ids))))
	gen := &taskGen{rng: rng, users: ids, n: opts.Tasks, end: now()}
	if s.dialect == migrations.Postgres {
		err = s.copyTasks(ctx, gen, progress)
	} else {
		err = s.insertTasks(ctx, gen, progress)
	}
	if err != nil {
		return err
	}
	// Fresh statistics, so the planner sees the new volume at once. On
	// PostgreSQL, VACUUM also does now what autovacuum would soon after a
	// bulk load (hint bits, visibility map), so that index-only scans work
	// and the first reads don't rewrite every page.
	analyze := "ANALYZE"
	if s.dialect == migrations.Postgres {
		analyze = "VACUUM (ANALYZE) users, tasks"
	}
	if _, err := s.writeDB.ExecContext(ctx, analyze); err != nil {
		return classify("models: seed: analyze", err)
	}
	return nil
}

func (s *Store) seedUsers(ctx context.Context, n int, hash string, progress func(int)) ([]int64, error) {
	var existing int64
	db := s.write.WithContext(ctx)
	if err := db.Model(&User{}).Where("email LIKE ?", "seed%@example.com").Count(&existing).Error; err != nil {
		return nil, classify("models: seed: count users", err)
	}
	const batch = 1000
	ids := make([]int64, 0, n)
	t := now().AddDate(-1, 0, 0)
	for start := 0; start < n; start += batch {
		users := make([]User, 0, min(batch, n-start))
		for i := start; i < min(start+batch, n); i++ {
			users = append(users, User{Email: SeedEmail(int(existing) + i + 1), HashedPassword: hash, CreatedAt: t, UpdatedAt: t})
		}
		if err := db.Create(&users).Error; err != nil {
			return nil, classify("models: seed users", err)
		}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		progress(len(users))
	}
	return ids, nil
}

// taskGen produces the generated tasks one at a time, so a million rows
// never sit in memory at once.
type taskGen struct {
	rng   *rand.Rand
	users []int64
	n, i  int
	end   time.Time
	row   [6]any
}

var sampleTitles = [...]string{
	"Buy groceries", "Write report", "Submit assignment", "Call the plumber",
	"Renew passport", "Plan team offsite", "Review pull request", "Book dentist",
	"Pay electricity bill", "Read chapter 4", "Fix the bike", "Water the plants",
}

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
	status := TaskStatuses()[g.rng.IntN(3)]
	g.row = [6]any{fmt.Sprintf("%s #%d", sampleTitles[g.rng.IntN(len(sampleTitles))], g.i), desc, string(status), user, created, updated}
	return true
}

func (g *taskGen) Values() ([]any, error) { return g.row[:], nil }
func (g *taskGen) Err() error             { return nil }

var taskColumns = []string{"title", "description", "status", "user_id", "created_at", "updated_at"}

// progressSource reports progress every chunk rows while COPY pulls rows.
type progressSource struct {
	*taskGen
	progress func(int)
	pending  int
}

func (p *progressSource) Next() bool {
	if !p.taskGen.Next() {
		p.progress(p.pending)
		return false
	}
	if p.pending++; p.pending == 10000 {
		p.progress(p.pending)
		p.pending = 0
	}
	return true
}

func (s *Store) copyTasks(ctx context.Context, gen *taskGen, progress func(int)) error {
	conn, err := s.writeDB.Conn(ctx)
	if err != nil {
		return classify("models: seed: connection", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		rebuild, err := deferTaskIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tasks"}, taskColumns, &progressSource{taskGen: gen, progress: progress}); err != nil {
			return err
		}
		for _, stmt := range rebuild {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
	return classify("models: seed: copy tasks", err)
}

// deferTaskIndexes speeds up a bulk load into an empty tasks table: inside
// tx it drops the table's secondary indexes and foreign keys and returns
// the statements that put them back. Building an index once over a million
// rows is several times faster than maintaining it row by row, and one
// foreign key check by join beats one per row. The definitions are read
// from the catalog, so the migrations stay the only place they are
// written; if the load fails, the rollback restores them. The table is
// locked until commit, which is why this is done only when it is empty
// (a fresh volume seed); a table that holds tasks is loaded as it is.
func deferTaskIndexes(ctx context.Context, tx pgx.Tx) ([]string, error) {
	var empty bool
	// Maintenance SQL on the whole table, outside GORM and its owner guard.
	if err := tx.QueryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM tasks)").Scan(&empty); err != nil || !empty {
		return nil, err
	}
	rows, err := tx.Query(ctx, `
		SELECT format('DROP INDEX %I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid)
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = i.relnamespace
		WHERE x.indrelid = 'tasks'::regclass
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
		UNION ALL
		SELECT format('ALTER TABLE tasks DROP CONSTRAINT %I', conname),
		       format('ALTER TABLE tasks ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
		FROM pg_constraint
		WHERE conrelid = 'tasks'::regclass AND contype = 'f'`)
	if err != nil {
		return nil, err
	}
	var drops, rebuild []string
	for rows.Next() {
		var drop, create string
		if err := rows.Scan(&drop, &create); err != nil {
			rows.Close()
			return nil, err
		}
		drops, rebuild = append(drops, drop), append(rebuild, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, stmt := range drops {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return nil, err
		}
	}
	return rebuild, nil
}

func (s *Store) insertTasks(ctx context.Context, gen *taskGen, progress func(int)) error {
	const perTx = 20000
	for done, first := false, true; !done; first = false {
		err := func() error {
			tx, err := s.writeDB.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			// Into an empty table everything goes in this one transaction,
			// with the secondary indexes built after the load, as on
			// PostgreSQL (see deferTaskIndexes): maintaining them row by
			// row in random user order took 2 minutes for a million rows.
			limit := perTx
			var rebuild []string
			if first {
				var bulk bool
				if bulk, rebuild, err = deferSQLiteTaskIndexes(ctx, tx); err != nil {
					return err
				}
				if bulk {
					limit = gen.n
				}
			}
			// Many rows per statement: with the pure-Go driver the cost
			// is per statement as much as per row.
			stmt, err := tx.PrepareContext(ctx, insertTasksSQL(rowsPerInsert))
			if err != nil {
				return err
			}
			defer stmt.Close()
			args := make([]any, 0, len(taskColumns)*rowsPerInsert)
			flush := func() error {
				var err error
				switch {
				case len(args) == cap(args):
					_, err = stmt.ExecContext(ctx, args...)
				case len(args) > 0:
					_, err = tx.ExecContext(ctx, insertTasksSQL(len(args)/len(taskColumns)), args...)
				}
				args = args[:0]
				return err
			}
			pending := 0
			for n := 0; n < limit; n++ {
				if !gen.Next() {
					done = true
					break
				}
				if args = append(args, gen.row[:]...); len(args) == cap(args) {
					if err := flush(); err != nil {
						return err
					}
				}
				if pending++; pending == perTx && limit > perTx {
					progress(pending)
					pending = 0
				}
			}
			if err := flush(); err != nil {
				return err
			}
			for _, q := range rebuild {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			progress(pending)
			return nil
		}()
		if err != nil {
			return classify("models: seed: insert tasks", err)
		}
	}
	return nil
}

// rowsPerInsert is how many tasks one INSERT carries on SQLite (600
// parameters, far under SQLite's limit of 32766).
const rowsPerInsert = 100

// insertTasksSQL is an INSERT of n tasks' columns.
func insertTasksSQL(n int) string {
	row := "(?, ?, ?, ?, ?, ?)"
	return "INSERT INTO tasks (" + strings.Join(taskColumns, ", ") + ") VALUES " + strings.Repeat(row+", ", n-1) + row
}

// deferSQLiteTaskIndexes is deferTaskIndexes for SQLite: when tasks is
// empty it drops the table's indexes inside tx and returns their CREATE
// statements from sqlite_master. Foreign keys stay: SQLite checks each
// row against the users primary key, which is cheap. The one transaction
// holds SQLite's write lock for the whole load (half a minute for a
// million rows): seed a fresh database before serving it, not beside a
// running server whose writers would time out waiting.
func deferSQLiteTaskIndexes(ctx context.Context, tx *sql.Tx) (bool, []string, error) {
	var empty bool
	// Maintenance SQL on the whole table, outside GORM and its owner guard.
	if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM tasks)").Scan(&empty); err != nil || !empty {
		return false, nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY name")
	if err != nil {
		return false, nil, err
	}
	var names, rebuild []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return false, nil, err
		}
		names, rebuild = append(names, name), append(rebuild, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return false, nil, err
		}
	}
	return true, rebuild, nil
}
