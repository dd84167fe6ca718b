package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// readYourWritesFor is how long a user's last write keeps pinning that
// user's reads to the primary at most. A replica normally replays a write
// within milliseconds and the pin ends at the first read after that; the
// expiry only bounds the memory a burst of writers can hold, and a replica
// lagging more than this is an operator's problem, not a routing one.
const readYourWritesFor = time.Minute

// replicaSet routes queries to streaming replicas (through dbresolver)
// while keeping each user's own writes visible to that user: after a
// write, the user's reads go to the primary until every replica has
// replayed WAL past the position the primary had reached after the write.
//
// The positions live in this process's memory. With several instances, a
// user's next request may reach an instance that never saw the write and
// read a replica that has not replayed it yet, for as long as replication
// lags (milliseconds when healthy). The README asks for sticky sessions at
// the load balancer when replicas are configured.
type replicaSet struct {
	dbs []*sql.DB

	mu      sync.Mutex
	pending map[int64]pendingWrite // user id -> last write
}

type pendingWrite struct {
	lsn     string // pg_lsn text, e.g. 0/3000148
	expires time.Time
}

// openReplicas connects to each replica URL and lets read route to them.
func openReplicas(read *gorm.DB, cfg Config) (*replicaSet, error) {
	rs := &replicaSet{pending: map[int64]pendingWrite{}}
	dialectors := make([]gorm.Dialector, 0, len(cfg.ReplicaURLs))
	for i, u := range cfg.ReplicaURLs {
		db, _, err := openPgxDB(u, cfg)
		if err != nil {
			rs.close()
			return nil, fmt.Errorf("models: replica %d: %w", i+1, err)
		}
		rs.dbs = append(rs.dbs, db)
		dialectors = append(dialectors, postgres.New(postgres.Config{
			Conn: &waitingPool{db: db, budget: cfg.WaitBudget, readOnly: true},
		}))
	}
	if err := read.Use(dbresolver.Register(dbresolver.Config{Replicas: dialectors})); err != nil {
		rs.close()
		return nil, fmt.Errorf("models: replicas: %w", err)
	}
	return rs, nil
}

func (rs *replicaSet) ping(ctx context.Context) error {
	for i, db := range rs.dbs {
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("replica %d: %w", i+1, err)
		}
	}
	return nil
}

func (rs *replicaSet) close() error {
	var err error
	for _, db := range rs.dbs {
		err = db.Close()
	}
	return err
}

// wrote records that userID has just written on primary.
func (rs *replicaSet) wrote(ctx context.Context, primary *sql.DB, userID int64) {
	var lsn string
	if err := primary.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		// Without the position, pin the user to the primary for the
		// whole expiry: slower reads, never a vanished write.
		lsn = "FFFFFFFF/FFFFFFFF"
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	now := time.Now()
	for id, p := range rs.pending {
		if now.After(p.expires) {
			delete(rs.pending, id)
		}
	}
	rs.pending[userID] = pendingWrite{lsn: lsn, expires: now.Add(readYourWritesFor)}
}

// needsPrimary reports whether userID's reads must go to the primary: a
// write of theirs is not yet replayed on every replica.
func (rs *replicaSet) needsPrimary(ctx context.Context, userID int64) bool {
	rs.mu.Lock()
	p, ok := rs.pending[userID]
	rs.mu.Unlock()
	if !ok || time.Now().After(p.expires) {
		return false
	}
	for _, db := range rs.dbs {
		var replayed bool
		err := db.QueryRowContext(ctx, "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", p.lsn).Scan(&replayed)
		if err != nil || !replayed {
			return true
		}
	}
	rs.mu.Lock()
	if rs.pending[userID] == p {
		delete(rs.pending, userID)
	}
	rs.mu.Unlock()
	return false
}
