package models_test

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func TestPoolSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		cfg  models.Config
		want int
	}{
		{"default", models.Config{}, models.DefaultPoolSize},
		{"configured", models.Config{PoolSize: 3}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := dbtest.Open(t, tt.cfg)
			if got := s.Stats().MaxOpenConnections; got != tt.want {
				t.Errorf("MaxOpenConnections = %d, want %d", got, tt.want)
			}
			// No overflow, and the whole pool is kept warm: after a burst
			// every connection stays idle instead of being closed.
			read := readPool(t, s)
			release := hold(t, read)
			release()
			if got := read.Stats().Idle; got != tt.want {
				t.Errorf("idle after a burst of %d = %d, want %d", tt.want, got, tt.want)
			}
		})
	}
}

// TestPoolExhaustedIsUnavailable holds every connection and checks that a
// store call gives up after PoolTimeout with ErrUnavailable instead of
// queueing forever, then works again once connections come back.
func TestPoolExhaustedIsUnavailable(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{PoolSize: 2, PoolTimeout: 300 * time.Millisecond})
	ctx := t.Context()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := newUser(t, s, "first@example.com")

	// On PostgreSQL DB() is the one pool; on SQLite it is the single writer
	// connection beside the read pool.
	releaseWrite := hold(t, s.DB())
	releaseRead := func() {}
	if read := readPool(t, s); read != s.DB() {
		releaseRead = hold(t, read)
	}

	calls := map[string]func() error{
		"write": func() error { _, err := s.CreateUser(ctx, "late@example.com", "h"); return err },
		"read":  func() error { _, err := s.UserByID(ctx, u.ID); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, models.ErrUnavailable) {
			t.Errorf("%s with the pool exhausted: %v, want ErrUnavailable", name, err)
		}
	}

	releaseWrite()
	releaseRead()
	for name, call := range calls {
		if err := call(); err != nil {
			t.Errorf("%s after the connections came back: %v", name, err)
		}
	}
}

// readPool is the pool queries run on (the same as DB() on PostgreSQL).
func readPool(t *testing.T, s *models.Store) *sql.DB {
	t.Helper()
	db, err := s.GormRead().DB()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// hold checks out every connection db may open and returns a func that
// gives them back.
func hold(t *testing.T, db *sql.DB) (release func()) {
	t.Helper()
	var conns []*sql.Conn
	for range db.Stats().MaxOpenConnections {
		c, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		// Make sure it is a live connection, not just a reservation.
		if err := c.PingContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	return func() {
		for _, c := range conns {
			c.Close()
		}
	}
}
