package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"text/tabwriter"
	"time"

	"taskapp/migrations"
	"taskapp/models"
)

// sample is what the benchmark draws its arguments from: every account,
// the owners ordered by how many tasks they hold, and disjoint sets of
// existing tasks for the by-id, update and delete calls.
type sample struct {
	emails   []string // every account's email
	userIDs  []int64  // every account
	owners   []int64  // accounts with tasks, most tasks first
	counts   map[int64]int64
	heavy    []int64 // the heaviest 1% of owners
	heavyMin int64
	heavyMax int64
	median   int64 // tasks held by the median owner
	medianID int64

	byID, update, remove []taskRef
}

type taskRef struct{ id, userID int64 }

func drawSample(ctx context.Context, db *sql.DB, o options) (*sample, error) {
	s := &sample{counts: map[int64]int64{}}
	rows, err := db.QueryContext(ctx, "SELECT id, email FROM users ORDER BY id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return nil, err
		}
		s.userIDs = append(s.userIDs, id)
		s.emails = append(s.emails, email)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = db.QueryContext(ctx, "SELECT user_id, count(*) FROM tasks WHERE deleted_at IS NULL GROUP BY user_id ORDER BY count(*) DESC, user_id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		s.owners = append(s.owners, id)
		s.counts[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(s.owners) == 0 {
		return nil, fmt.Errorf("the seed left no tasks")
	}
	s.heavy = s.owners[:max(1, len(s.owners)/100)]
	s.heavyMax = s.counts[s.heavy[0]]
	s.heavyMin = s.counts[s.heavy[len(s.heavy)-1]]
	s.medianID = s.owners[len(s.owners)/2]
	s.median = s.counts[s.medianID]

	// Existing tasks picked uniformly, so their owners follow the skew: a
	// fifth of them belong to the heaviest users.
	per := o.n + o.warmup
	rows, err = db.QueryContext(ctx, fmt.Sprintf("SELECT id, user_id FROM tasks WHERE deleted_at IS NULL ORDER BY random() LIMIT %d", 3*per))
	if err != nil {
		return nil, err
	}
	var refs []taskRef
	for rows.Next() {
		var r taskRef
		if err := rows.Scan(&r.id, &r.userID); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(refs) < 3*per {
		return nil, fmt.Errorf("%d tasks seeded, need at least %d for -n %d -warmup %d", len(refs), 3*per, o.n, o.warmup)
	}
	s.byID, s.update, s.remove = refs[:per], refs[per:2*per], refs[2*per:]
	return s, nil
}

// benchmark is one store call measured on its own.
type benchmark struct {
	name   string
	what   string        // what the call does, for the table
	target time.Duration // the spec's p95 target
	spec   bool          // target is the spec's for this query (not borrowed)
	call   func(ctx context.Context, i int) error
}

type result struct {
	benchmark
	samples  []time.Duration // sorted
	elapsed  time.Duration
	errors   int
	firstErr error
}

func (r result) pct(p float64) time.Duration {
	if len(r.samples) == 0 {
		return 0
	}
	i := int(float64(len(r.samples))*p+0.5) - 1
	return r.samples[min(max(i, 0), len(r.samples)-1)]
}

var searchTerms = []string{"groceries", "Report", "bill", "passport", "details", "nothing-matches-this"}

func benchmarks(store *models.Store, s *sample, o options) []benchmark {
	rng := rand.New(rand.NewPCG(o.seed, 7))
	anyUser := func() int64 { return s.userIDs[rng.IntN(len(s.userIDs))] }
	heavyUser := func() int64 { return s.heavy[rng.IntN(len(s.heavy))] }
	statuses := models.TaskStatuses()
	list := func(user func() int64, opts func(i int) models.ListOptions) func(context.Context, int) error {
		return func(ctx context.Context, i int) error {
			p, err := store.ListTasks(ctx, user(), opts(i))
			if err == nil && p.Total > 0 && len(p.Tasks) == 0 {
				err = fmt.Errorf("page of %d tasks came back empty", p.Total)
			}
			return err
		}
	}
	all := func(int) models.ListOptions { return models.ListOptions{} }
	search := func(i int) models.ListOptions {
		return models.ListOptions{Query: searchTerms[i%len(searchTerms)]}
	}
	byStatus := func(i int) models.ListOptions {
		return models.ListOptions{Status: statuses[i%len(statuses)]}
	}
	today := models.DateOf(models.Now())
	due := func(v models.DueView) func(int) models.ListOptions {
		return func(int) models.ListOptions { return models.ListOptions{Due: v, Today: today} }
	}
	sorted := func(s models.TaskSort) func(int) models.ListOptions {
		return func(int) models.ListOptions { return models.ListOptions{Sort: s, Today: today} }
	}
	const (
		listTarget = 50 * time.Millisecond
	)
	return []benchmark{
		{name: "UserByEmail", what: "get user by email (login)", target: 5 * time.Millisecond, spec: true,
			call: func(ctx context.Context, i int) error {
				_, err := store.UserByEmail(ctx, s.emails[rng.IntN(len(s.emails))])
				return err
			}},
		{name: "CreateTask", what: "create task", target: 20 * time.Millisecond, spec: true,
			call: func(ctx context.Context, i int) error {
				in := models.TaskInput{Title: fmt.Sprintf("Benchmark task %d", i)}
				if i%2 == 0 {
					in.Description = "Written by dbbench."
				}
				_, err := store.CreateTask(ctx, anyUser(), in)
				return err
			}},
		{name: "ListTasks", what: "list 100, any user", target: listTarget, spec: true, call: list(anyUser, all)},
		{name: "ListTasks/heavy", what: "list 100, heaviest 1%", target: listTarget, spec: true, call: list(heavyUser, all)},
		{name: "TaskByID", what: "get task by id", target: 5 * time.Millisecond, spec: true,
			call: func(ctx context.Context, i int) error {
				r := s.byID[i]
				_, err := store.TaskByID(ctx, r.userID, r.id)
				return err
			}},
		{name: "UpdateTask", what: "edit title+status", target: 20 * time.Millisecond, spec: true,
			call: func(ctx context.Context, i int) error {
				r := s.update[i]
				title := fmt.Sprintf("Edited by dbbench %d", i)
				st := statuses[i%len(statuses)]
				_, err := store.UpdateTask(ctx, r.userID, r.id, models.TaskPatch{Title: &title, Status: &st})
				return err
			}},
		{name: "DeleteTask", what: "delete task", target: 10 * time.Millisecond, spec: true,
			call: func(ctx context.Context, i int) error {
				r := s.remove[i]
				_, err := store.DeleteTask(ctx, r.userID, r.id)
				return err
			}},
		{name: "Search", what: "q=word, any user", target: listTarget, call: list(anyUser, search)},
		{name: "Search/heavy", what: "q=word, heaviest 1%", target: listTarget, call: list(heavyUser, search)},
		{name: "Status", what: "status filter, any user", target: listTarget, call: list(anyUser, byStatus)},
		{name: "Status/heavy", what: "status filter, heaviest 1%", target: listTarget, call: list(heavyUser, byStatus)},
		{name: "Today", what: "due today+overdue, any user", target: listTarget, call: list(anyUser, due(models.DueToday))},
		{name: "Today/heavy", what: "due today+overdue, heaviest 1%", target: listTarget, call: list(heavyUser, due(models.DueToday))},
		{name: "Upcoming/heavy", what: "due next 7 days, heaviest 1%", target: listTarget, call: list(heavyUser, due(models.DueUpcoming))},
		{name: "SortDue/heavy", what: "sort=due, heaviest 1%", target: listTarget, call: list(heavyUser, sorted(models.SortDue))},
		{name: "SortTitle/heavy", what: "sort=title, heaviest 1%", target: listTarget, call: list(heavyUser, sorted(models.SortTitle))},
		{name: "Trash/heavy", what: "trash page, heaviest 1%", target: listTarget,
			call: func(ctx context.Context, i int) error {
				_, err := store.Trash(ctx, heavyUser())
				return err
			}},
	}
}

// runBenchmarks runs each benchmark alone, one call at a time: the
// figures are latencies of single calls, and throughput is that of one
// client.
func runBenchmarks(ctx context.Context, store *models.Store, s *sample, o options) []result {
	var out []result
	for _, b := range benchmarks(store, s, o) {
		if ctx.Err() != nil {
			break
		}
		r := result{benchmark: b, samples: make([]time.Duration, 0, o.n)}
		for i := range o.warmup {
			if err := b.call(ctx, o.n+i); err != nil && r.firstErr == nil {
				r.errors++
				r.firstErr = err
			}
		}
		start := time.Now()
		for i := range o.n {
			t0 := time.Now()
			err := b.call(ctx, i)
			r.samples = append(r.samples, time.Since(t0))
			if err != nil {
				r.errors++
				if r.firstErr == nil {
					r.firstErr = err
				}
			}
		}
		r.elapsed = time.Since(start)
		slices.Sort(r.samples)
		out = append(out, r)
	}
	return out
}

func printResults(w io.Writer, dialect migrations.Dialect, results []result, o options) {
	fmt.Fprintf(w, "\n%s: %d calls per query after %d warm-up calls, one client; latency of the store call (ms)\n\n", dialect, o.n, o.warmup)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "query\twhat\tp50\tp95\tp99\tmax\tcalls/s\terrors\tp95 target\ttarget/p95\tverdict\t")
	for _, r := range results {
		p95 := r.pct(0.95)
		ratio := float64(r.target) / float64(max(p95, time.Nanosecond))
		verdict := "≥10× under"
		switch {
		case ratio < 1:
			verdict = "OVER TARGET"
		case ratio < 10:
			verdict = "under, <10×"
		}
		target := ms(r.target)
		if !r.spec {
			target += " (list's)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%d\t%s\t%.0f×\t%s\t\n", r.name, r.what,
			ms(r.pct(0.50)), ms(p95), ms(r.pct(0.99)), ms(r.samples[len(r.samples)-1]),
			float64(len(r.samples))/r.elapsed.Seconds(), r.errors, target, ratio, verdict)
	}
	tw.Flush()
	for _, r := range results {
		if r.errors > 0 {
			fmt.Fprintf(w, "!!! %s: %d ERRORS; first: %v\n", r.name, r.errors, r.firstErr)
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }
