package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"taskapp/migrations"
	"taskapp/models/schedule"
)

// SessionPurgeInterval is how often expired sessions are deleted.
const SessionPurgeInterval = time.Hour

// AccountPurgeInterval is how often accounts past their retention are
// erased: an account is gone at most this long after the date its owner
// was given.
const AccountPurgeInterval = time.Hour

// BucketPurgeInterval is how often rate-limit buckets that are full again
// are deleted (PostgreSQL; on SQLite the limiter forgets them itself).
const BucketPurgeInterval = 10 * time.Minute

// RegisterJobs adds the periodic work on the data this package owns.
func (s *Store) RegisterJobs(sch *schedule.Scheduler) {
	sch.Add(schedule.Job{
		Name:  "purge-expired-sessions",
		Every: SessionPurgeInterval,
		Run: func(ctx context.Context) error {
			_, err := s.PurgeExpiredSessions(ctx, Now())
			return err
		},
	})
	sch.Add(schedule.Job{
		Name:  "purge-deleted-accounts",
		Every: AccountPurgeInterval,
		Run: func(ctx context.Context) error {
			_, err := s.PurgeDeletedUsers(ctx, Now())
			return err
		},
		Preview: func(ctx context.Context) (string, error) {
			users, tasks, err := s.DeletedUsersDue(ctx, Now())
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("would erase %d %s with their %d %s", users, plural(users, "account", "accounts"), tasks, plural(tasks, "task", "tasks")), nil
		},
	})
	if s.SharesRateLimits() {
		sch.Add(schedule.Job{
			Name:  "purge-full-rate-limit-buckets",
			Every: BucketPurgeInterval,
			Run: func(ctx context.Context) error {
				_, err := s.PurgeFullBuckets(ctx)
				return err
			},
		})
	}
}

// Exclusive runs fn unless another instance is running the job called
// name, and reports whether it ran. On PostgreSQL a transaction holds
// pg_try_advisory_xact_lock for the job while fn runs (fn uses the pool as
// usual); the lock goes with the transaction, even if this process dies.
// SQLite has no such lock and needs none: its one writer serialises the
// statements, and jobs are idempotent.
func (s *Store) Exclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	if s.dialect != migrations.Postgres {
		return true, fn(ctx)
	}
	tx, err := s.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return false, classify("models: job lock", err)
	}
	defer tx.Rollback()
	var locked bool
	if err := tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock($1)", jobLockID(name)).Scan(&locked); err != nil {
		return false, classify("models: job lock", err)
	}
	if !locked {
		return false, nil
	}
	if err := fn(ctx); err != nil {
		return true, err
	}
	if err := tx.Commit(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return true, classify("models: job lock", err)
	}
	return true, nil
}

// jobLockID is the advisory lock key of a job: a hash of its name, in a
// namespace of its own so it cannot collide with the migration lock.
func jobLockID(name string) int64 {
	h := fnv.New64a()
	fmt.Fprint(h, "taskapp job\x00", name)
	return int64(h.Sum64())
}
