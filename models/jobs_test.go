package models_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/models/schedule"
)

// The session purge is registered by the models package and, run by the
// scheduler, deletes expired sessions only.
func TestRegisteredJobsPurgeExpiredSessions(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "jobs@example.com")
	now := time.Now()
	liveTok, _ := newSession(t, s, u.ID, now)
	newSession(t, s, u.ID, now.Add(-testLifetime.Max-time.Minute))

	sch := schedule.New(s, nil)
	s.RegisterJobs(sch)
	job := registeredJob(t, sch, "purge-expired-sessions")
	for range 2 { // idempotent
		if ran, err := sch.RunOnce(t.Context(), job); !ran || err != nil {
			t.Fatalf("RunOnce = %v, %v", ran, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM sessions"); n != 1 {
		t.Errorf("%d sessions after the purge, want the live one", n)
	}
	if !live(t, s, liveTok, now) {
		t.Error("the purge ended a live session")
	}
}

// registeredJob is the job called name that the scheduler holds.
func registeredJob(t *testing.T, sch *schedule.Scheduler, name string) schedule.Job {
	t.Helper()
	for _, j := range sch.Jobs() {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q among %v", name, sch.Jobs())
	return schedule.Job{}
}

// Two instances (two stores on one database) never run the same job at
// once; different jobs do not block each other.
func TestExclusiveAcrossInstances(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("the advisory lock is PostgreSQL's; on SQLite jobs rely on its single writer")
	}
	url := dbtest.URL(t)
	open := func() *models.Store {
		s, err := models.Open(t.Context(), models.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	inside, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		ran, err := a.Exclusive(context.WithoutCancel(t.Context()), "job", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
		if !ran || err != nil {
			t.Errorf("first instance: ran %v, %v", ran, err)
		}
	})
	<-inside
	if ran, err := b.Exclusive(t.Context(), "job", func(context.Context) error { return nil }); ran || err != nil {
		t.Errorf("second instance ran the job while the first held it: %v, %v", ran, err)
	}
	if ran, err := b.Exclusive(t.Context(), "other job", func(context.Context) error { return nil }); !ran || err != nil {
		t.Errorf("another job was blocked: %v, %v", ran, err)
	}
	close(release)
	wg.Wait()
	// Released with the transaction: the next run goes ahead.
	if ran, err := b.Exclusive(t.Context(), "job", func(context.Context) error { return nil }); !ran || err != nil {
		t.Errorf("after the first finished: %v, %v", ran, err)
	}
}
