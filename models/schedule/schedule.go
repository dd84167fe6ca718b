// Package schedule runs periodic jobs (purging expired sessions, and later
// trash and backups) inside the server. The package that owns the data
// registers its jobs with Add; serve starts Run. Jobs must be idempotent:
// a run that is interrupted, or that finds nothing to do, is harmless.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Job is one piece of periodic work.
type Job struct {
	// Name identifies the job in logs and in the lock that keeps two
	// instances from running it at once; it must be unique.
	Name string
	// Every is the time between runs. The first run is when Run starts.
	Every time.Duration
	// Run does the work once.
	Run func(ctx context.Context) error
	// Preview, if set, says what Run would do now without doing it (for
	// `taskapp purge --dry-run`), as a phrase such as "would erase 3
	// tasks".
	Preview func(ctx context.Context) (string, error)
}

// Locker runs fn unless another instance is running the job called name;
// it reports whether fn ran. *models.Store is one: on PostgreSQL it holds
// a transaction-scoped advisory lock around fn.
type Locker interface {
	Exclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error)
}

// Scheduler holds the registered jobs.
type Scheduler struct {
	lock   Locker
	logger *slog.Logger
	mu     sync.Mutex
	jobs   []Job
}

// New returns a scheduler whose runs are serialised across instances by
// lock.
func New(lock Locker, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{lock: lock, logger: logger}
}

// Add registers a job. It panics on a job without a name, interval or
// function, or with a name already taken: those are programming errors.
func (s *Scheduler) Add(j Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.Name == "" || j.Every <= 0 || j.Run == nil {
		panic(fmt.Sprintf("schedule: incomplete job %+v", j))
	}
	for _, have := range s.jobs {
		if have.Name == j.Name {
			panic("schedule: two jobs named " + j.Name)
		}
	}
	s.jobs = append(s.jobs, j)
}

// Jobs lists the registered jobs in the order they were added.
func (s *Scheduler) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Job(nil), s.jobs...)
}

// Run runs every job now and then every job.Every until ctx is done. A
// failing run is logged and retried at the next interval; it never stops
// the server.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, j := range s.Jobs() {
		wg.Go(func() {
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				if _, err := s.RunOnce(ctx, j); err != nil && ctx.Err() == nil {
					s.logger.Error("scheduled job failed", "job", j.Name, "error", err.Error())
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	wg.Wait()
}

// RunOnce runs j now under its lock, and reports whether it ran (false:
// another instance was running it). The `taskapp` command uses it to run
// a job by hand.
func (s *Scheduler) RunOnce(ctx context.Context, j Job) (bool, error) {
	start := time.Now()
	ran, err := s.lock.Exclusive(ctx, j.Name, j.Run)
	if err != nil {
		return ran, fmt.Errorf("schedule: %s: %w", j.Name, err)
	}
	if ran {
		s.logger.Debug("scheduled job ran", "job", j.Name, "took", time.Since(start).Round(time.Millisecond).String())
	} else {
		s.logger.Debug("scheduled job skipped: running elsewhere", "job", j.Name)
	}
	return ran, nil
}
