package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// DefaultWaitBudget is how long a request waits for an unreachable
// PostgreSQL before it gives up with ErrUnavailable: long enough to cover
// a restart, a failover or a suspended Neon compute waking up.
const DefaultWaitBudget = 5 * time.Second

// Backoff between attempts while the database is unreachable. The cap
// keeps recovery quick once it answers again (at most this long after)
// without every waiting request dialling in a tight loop.
const (
	firstRetryDelay = 10 * time.Millisecond
	maxRetryDelay   = 100 * time.Millisecond
)

// waitingPool is the gorm.ConnPool that every store statement outside a
// transaction goes through on PostgreSQL. When the database cannot be
// reached it waits and tries again, bounded by the caller's deadline and
// by budget, but only with statements that cannot have been applied:
//
//   - the statement was never sent: pgconn's safe-to-retry errors, which
//     database/sql reports as driver.ErrBadConn once its own immediate
//     retries are used up, and a failure to connect at all;
//   - or, for a pool of statements without side effects (readOnly), any
//     loss of the connection: a query can run twice without harm.
//
// A write whose connection broke after it was sent is never retried: it
// may have committed, and running it again could write it twice.
// Statements inside a transaction go to the *sql.Tx, not through here, so
// they are never retried on their own; only BeginTx is, before anything of
// the transaction has been sent.
type waitingPool struct {
	db       *sql.DB
	budget   time.Duration
	readOnly bool
}

var (
	_ gorm.ConnPool       = (*waitingPool)(nil)
	_ gorm.TxBeginner     = (*waitingPool)(nil)
	_ gorm.GetDBConnector = (*waitingPool)(nil)
)

func (p *waitingPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	var stmt *sql.Stmt
	err := p.retry(ctx, func() (err error) {
		stmt, err = p.db.PrepareContext(ctx, query)
		return err
	})
	return stmt, err
}

func (p *waitingPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := p.retry(ctx, func() (err error) {
		res, err = p.db.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// QueryContext retries only until the rows are returned: pgx has the
// first row by then, so a failure after it surfaces from rows.Err.
func (p *waitingPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	err := p.retry(ctx, func() (err error) {
		rows, err = p.db.QueryContext(ctx, query, args...)
		return err
	})
	return rows, err
}

func (p *waitingPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	var row *sql.Row
	_ = p.retry(ctx, func() error {
		row = p.db.QueryRowContext(ctx, query, args...)
		return row.Err()
	})
	return row
}

func (p *waitingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	var tx *sql.Tx
	err := p.retry(ctx, func() (err error) {
		tx, err = p.db.BeginTx(ctx, opts)
		return err
	})
	return tx, err
}

// GetDBConn lets gorm.DB.DB() find the pool underneath.
func (p *waitingPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

// retry runs op until it succeeds, fails for a reason that waiting cannot
// cure, or the wait is over: budget after the first failure, or the
// context's deadline if that comes first.
func (p *waitingPool) retry(ctx context.Context, op func() error) error {
	var giveUp time.Time
	delay := firstRetryDelay
	for {
		err := op()
		if err == nil || !p.retryable(err) {
			return err
		}
		now := time.Now()
		if giveUp.IsZero() {
			giveUp = now.Add(p.budget)
			if d, ok := ctx.Deadline(); ok && d.Before(giveUp) {
				giveUp = d
			}
		}
		// Jittered, so that requests that failed together do not all
		// dial again at the same instant.
		wait := min(delay/2+rand.N(delay/2+1), giveUp.Sub(now))
		if wait <= 0 {
			return err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return err
		case <-timer.C:
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

func (p *waitingPool) retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return neverSent(err) || (p.readOnly && connectionLost(err))
}

// neverSent reports whether err certainly happened before the statement
// reached the server.
func neverSent(err error) bool {
	var connErr *pgconn.ConnectError
	return errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) || errors.As(err, &connErr)
}

// connectionLost reports whether err means the connection to the server
// broke or the server ended it, whether or not the statement was sent.
func connectionLost(err error) bool {
	if neverSent(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, pgConnectionExceptionC) ||
			pgErr.Code == pgAdminShutdown || pgErr.Code == pgCrashShutdown || pgErr.Code == pgCannotConnectNow
	}
	var netErr *net.OpError
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// refuseWrites makes a gorm.DB whose pool retries after any lost
// connection refuse statements that could change data: the retry is only
// sound for queries.
func refuseWrites(db *gorm.DB) error {
	refuse := func(db *gorm.DB) { _ = db.AddError(errWriteOnReadPool) }
	cb := db.Callback()
	return errors.Join(
		cb.Create().Before("gorm:create").Register("taskapp:read_only", refuse),
		cb.Update().Before("gorm:update").Register("taskapp:read_only", refuse),
		cb.Delete().Before("gorm:delete").Register("taskapp:read_only", refuse),
		cb.Raw().Before("gorm:raw").Register("taskapp:read_only", refuse),
	)
}

var errWriteOnReadPool = errors.New("models: write through the read pool; use Store.writer")
