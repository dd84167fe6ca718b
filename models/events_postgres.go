package models

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// notifyChannel is the PostgreSQL channel task events travel on; the
// payload is the owner's user id, then a space and the page the change
// came from, if any. NOTIFY is scoped to one database, so two taskapp
// databases on one server never hear each other.
const notifyChannel = "taskapp_tasks"

// pgBroker publishes with pg_notify through the pool and hears every
// instance's events on one connection of its own (outside the pool, which
// would reset it), LISTENing from the first subscription until Close. It
// reconnects after a lost connection and then wakes every subscriber,
// since events sent meanwhile were lost.
type pgBroker struct {
	*hub
	db     *sql.DB
	config *pgx.ConnConfig
	logger *slog.Logger

	ctx    context.Context // ends the listener
	stop   context.CancelFunc
	start  sync.Once
	done   chan struct{} // closed when the listener has returned
	ready  chan struct{} // closed once the first LISTEN is in place
	readyd sync.Once
}

// readyWait bounds how long a first subscription waits for the listener;
// past it, the subscriber goes on and hears events once it is listening.
const readyWait = 5 * time.Second

func newPGBroker(db *sql.DB, config *pgx.ConnConfig, logger *slog.Logger) *pgBroker {
	ctx, stop := context.WithCancel(context.Background())
	return &pgBroker{
		hub: newHub(), db: db, config: config, logger: logger,
		ctx: ctx, stop: stop, done: make(chan struct{}), ready: make(chan struct{}),
	}
}

func (b *pgBroker) publish(ctx context.Context, userID int64) {
	// The write has committed: the event goes out even if the request
	// that made it is already gone.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	payload := strconv.FormatInt(userID, 10)
	if origin := eventOrigin(ctx); origin != "" {
		payload += " " + origin
	}
	if _, err := b.db.ExecContext(ctx, "SELECT pg_notify($1, $2)", notifyChannel, payload); err != nil {
		// Open pages miss this change until the next one or a reload.
		b.logger.Warn("models: publish task event", "err", err)
	}
}

func (b *pgBroker) subscribe(ctx context.Context, userID int64) (*Subscription, error) {
	sub, err := b.hub.subscribe(ctx, userID)
	if err != nil {
		return nil, err
	}
	b.start.Do(func() { go b.listen() })
	wait := time.NewTimer(readyWait)
	defer wait.Stop()
	select {
	case <-b.ready:
	case <-wait.C:
	case <-ctx.Done():
		sub.Close()
		return nil, ctx.Err()
	}
	return sub, nil
}

// listen keeps one LISTEN connection open until Close.
func (b *pgBroker) listen() {
	defer close(b.done)
	backoff := 100 * time.Millisecond
	for {
		listened, err := b.listenOnce()
		if b.ctx.Err() != nil {
			return
		}
		if listened {
			backoff = 100 * time.Millisecond
		}
		b.logger.Warn("models: task event listener lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-b.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listenOnce connects, LISTENs and delivers notifications until the
// connection fails; listened says whether LISTEN took effect.
func (b *pgBroker) listenOnce() (listened bool, err error) {
	conn, err := pgx.ConnectConfig(b.ctx, b.config)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(b.ctx, "LISTEN "+notifyChannel); err != nil {
		return false, err
	}
	first := false
	b.readyd.Do(func() { close(b.ready); first = true })
	if !first {
		b.hub.publishAll()
	}
	for {
		n, err := conn.WaitForNotification(b.ctx)
		if err != nil {
			return true, err
		}
		user, origin, _ := strings.Cut(n.Payload, " ")
		if id, err := strconv.ParseInt(user, 10, 64); err == nil {
			b.hub.deliver(id, origin)
		}
	}
}

func (b *pgBroker) close() error {
	b.stop()
	// A listener that never started has nothing to wait for; this also
	// keeps a later subscribe from starting one. Closing twice (a test's
	// Close and its cleanup's) finds done closed either way.
	b.start.Do(func() { close(b.done) })
	<-b.done
	return nil
}
