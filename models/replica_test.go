package models_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestReplicaReadsKeepUsersOwnWrites runs the store on a primary and a
// streaming replica that lags on purpose (it replays nothing committed
// during the test): other people's reads come from the replica, while a
// person's own write is visible to them at once.
func TestReplicaReadsKeepUsersOwnWrites(t *testing.T) {
	ctx := context.Background()
	primary := dbtest.StartCluster(t)
	other := openStore(t, models.Config{URL: primary.URL()}) // an instance without replicas
	if _, err := other.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	replica := primary.StartReplica(t, time.Hour)
	s := openStore(t, models.Config{URL: primary.URL(), ReplicaURLs: []string{replica.URL()}})

	// Written through the other instance: this store never saw the write,
	// so its reads for that user go to the replica, which lacks it.
	bob, err := other.CreateUser(ctx, "bob@example.com", "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.CreateTask(ctx, bob.ID, models.TaskInput{Title: "bob's task"}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ListTasks(ctx, bob.ID, models.ListOptions{}); err != nil || p.Total != 0 {
		t.Errorf("a read for someone with no recent write here should come from the lagging replica: %+v, %v", p, err)
	}

	alice, err := s.CreateUser(ctx, "alice@example.com", "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByID(ctx, alice.ID); err != nil {
		t.Errorf("a new account must find itself at once: %v", err)
	}
	task, err := s.CreateTask(ctx, alice.ID, models.TaskInput{Title: "alice's task"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TaskByID(ctx, alice.ID, task.ID); err != nil {
		t.Errorf("alice's own new task must be visible to her: %v", err)
	}
	if p, err := s.ListTasks(ctx, alice.ID, models.ListOptions{}); err != nil || p.Total != 1 {
		t.Errorf("alice's list must show her new task: %+v, %v", p, err)
	}

	// The replica alone does not have it yet: the read above came from
	// the primary.
	rdb, err := sql.Open("pgx", replica.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var n int
	if err := rdb.QueryRowContext(ctx, "SELECT count(*) FROM tasks WHERE user_id = $1", alice.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("the replica was meant to lag, yet it has alice's task")
	}
}

func openStore(t *testing.T, cfg models.Config) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
