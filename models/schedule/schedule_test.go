package schedule_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"taskapp/models/schedule"
)

// anyInstance is a Locker for a single instance: every run goes ahead.
type anyInstance struct{}

func (anyInstance) Exclusive(ctx context.Context, _ string, fn func(context.Context) error) (bool, error) {
	return true, fn(ctx)
}

// busyElsewhere is a Locker whose lock another instance always holds.
type busyElsewhere struct{}

func (busyElsewhere) Exclusive(context.Context, string, func(context.Context) error) (bool, error) {
	return false, nil
}

// Jobs run once when the scheduler starts (so a restart purges at once)
// and again every interval; a failing run does not stop the next one.
func TestRunStartsEachJobAtOnceAndRepeats(t *testing.T) {
	t.Parallel()
	s := schedule.New(anyInstance{}, nil)
	var runs atomic.Int32
	again := make(chan struct{})
	s.Add(schedule.Job{Name: "count", Every: time.Millisecond, Run: func(context.Context) error {
		if runs.Add(1) == 3 {
			close(again)
		}
		return errors.New("fails every time")
	}})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	<-again // the third run: the first did not stop it
	cancel()
	<-done // Run returns when its context ends
}

func TestRunOnceSkipsWhatRunsElsewhere(t *testing.T) {
	t.Parallel()
	s := schedule.New(busyElsewhere{}, nil)
	ran := false
	j := schedule.Job{Name: "j", Every: time.Hour, Run: func(context.Context) error { ran = true; return nil }}
	if got, err := s.RunOnce(t.Context(), j); got || err != nil || ran {
		t.Errorf("RunOnce = %v, %v (ran %v), want skipped", got, err, ran)
	}
}

func TestAddRefusesDuplicateAndIncompleteJobs(t *testing.T) {
	t.Parallel()
	noop := func(context.Context) error { return nil }
	for name, j := range map[string]schedule.Job{
		"duplicate":   {Name: "a", Every: time.Hour, Run: noop},
		"no name":     {Every: time.Hour, Run: noop},
		"no interval": {Name: "b", Run: noop},
		"no function": {Name: "c", Every: time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			s := schedule.New(anyInstance{}, nil)
			s.Add(schedule.Job{Name: "a", Every: time.Hour, Run: noop})
			defer func() {
				if recover() == nil {
					t.Error("Add accepted it")
				}
			}()
			s.Add(j)
		})
	}
}
