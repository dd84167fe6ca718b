package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Group commit (SQLite only). SQLite has one writer; with a write per
// transaction, concurrent writers queue and each pays a transaction of its
// own (BEGIN IMMEDIATE, the WAL frames of every page it touched, COMMIT).
// groupCommit's one goroutine instead takes every write waiting for it and
// runs them all in one transaction, each in a savepoint of its own, so a
// failing write is rolled back alone and its neighbours still commit. A
// caller hears its result only after the COMMIT, so an acknowledged write
// is a committed one.
//
// It cannot deadlock on itself: a queued write is a function of the batch
// transaction alone (it never asks for the writer, the queue or the store),
// and the batch takes the write connection only while it runs. Writes that
// do not go through the queue take the same connection between batches.
type groupCommit struct {
	db      *gorm.DB
	timeout time.Duration
	// queue is unbuffered: a write waits in its send until the loop takes
	// it, so nothing is left in a buffer when the loop stops.
	queue    chan *queuedWrite
	stop     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
}

// maxGroup bounds the writes of one transaction, so that one batch holds
// the writer for a few milliseconds at most.
const maxGroup = 128

// errStoreClosed is the error of a write made after Close.
var errStoreClosed = errors.New("models: store is closed")

type queuedWrite struct {
	ctx    context.Context
	fn     func(tx *gorm.DB) error
	result chan error // buffered: the loop never waits for the caller
}

func newGroupCommit(db *gorm.DB, timeout time.Duration) *groupCommit {
	g := &groupCommit{db: db, timeout: timeout, queue: make(chan *queuedWrite),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go g.loop()
	return g
}

// do runs fn in the next batch and returns its error, or the batch's if
// the commit failed. fn must use only tx: calling the store's writer from
// inside it would wait for the batch that is running it.
func (g *groupCommit) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	w := &queuedWrite{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case g.queue <- w:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.stop:
		return errStoreClosed
	}
	// Once taken, a write always gets an answer, and only after its batch
	// committed or rolled back: the caller must not leave before knowing.
	return <-w.result
}

func (g *groupCommit) loop() {
	defer close(g.stopped)
	batch := make([]*queuedWrite, 0, maxGroup)
	for {
		select {
		case w := <-g.queue:
			batch = append(batch[:0], w)
		case <-g.stop:
			return
		}
	take:
		for len(batch) < maxGroup {
			select {
			case w := <-g.queue:
				batch = append(batch, w)
			default:
				break take
			}
		}
		g.commit(batch)
		clear(batch)
	}
}

// commit runs batch in one transaction and answers every write in it.
func (g *groupCommit) commit(batch []*queuedWrite) {
	errs := make([]error, len(batch))
	// The batch's own deadline, not a caller's: one caller going away must
	// not roll back the others.
	ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
	defer cancel()
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i, w := range batch {
			if err := w.ctx.Err(); err != nil {
				errs[i] = err // given up waiting: not run, and the caller is told so
				continue
			}
			if err := tx.Exec("SAVEPOINT groupwrite").Error; err != nil {
				return err
			}
			errs[i] = runWrite(tx, w.fn)
			if errs[i] != nil {
				if err := tx.Exec("ROLLBACK TO groupwrite").Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("RELEASE groupwrite").Error; err != nil {
				return err
			}
		}
		return nil
	})
	for i, w := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("models: group commit: %w", err)
		}
		w.result <- errs[i]
	}
}

// runWrite calls fn, turning a panic into its error so that one bad write
// neither stops the loop nor leaves its neighbours waiting.
func runWrite(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("models: write panicked: %v", r)
		}
	}()
	return fn(tx)
}

// close stops the loop after the batch in hand; writes still waiting to
// be taken get errStoreClosed.
func (g *groupCommit) close() {
	g.stopOnce.Do(func() { close(g.stop) })
	<-g.stopped
}

// commitWrite runs fn, a write made for userID, on the writer: on SQLite
// in the group commit, on PostgreSQL (whose writers run side by side) at
// once on the pool. fn must use only the *gorm.DB it is given.
func (s *Store) commitWrite(ctx context.Context, userID int64, fn func(db *gorm.DB) error) error {
	if s.group == nil {
		db, done := s.writer(ctx, userID)
		defer done()
		return fn(db)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.group.do(ctx, fn)
}
