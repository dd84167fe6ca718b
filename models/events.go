package models

import (
	"context"
	"sync"
)

// Events tell a user's open pages that the user's tasks changed. The store
// publishes after each write to tasks has committed; the web layer
// subscribes once per open page. An event carries no data: a subscriber
// re-reads what it shows, so a lost or coalesced event costs nothing but
// that read.
//
// broker is the one interface with two implementations: hub alone on
// SQLite (one process owns the file, so every writer is in this process),
// and pgBroker on PostgreSQL, which sends events through NOTIFY so that
// pages served by every instance hear them.
type broker interface {
	// publish announces that userID's tasks changed.
	publish(ctx context.Context, userID int64)
	// subscribe delivers userID's events until cancel is called.
	subscribe(ctx context.Context, userID int64) (*Subscription, error)
	close() error
}

// Subscription receives one user's events. C has room for one event:
// events that come while one is waiting merge into it.
type Subscription struct {
	C      <-chan struct{}
	cancel func()
}

// Close stops the subscription; C is never closed, so a reader selects on
// its own context as well.
func (s *Subscription) Close() { s.cancel() }

// SubscribeTasks delivers an event on the subscription's channel whenever
// userID's tasks change, through this process or, on PostgreSQL, any
// other instance. The caller closes it.
func (s *Store) SubscribeTasks(ctx context.Context, userID int64) (*Subscription, error) {
	return s.events.subscribe(ctx, userID)
}

// tasksChanged publishes userID's event. Called after the write has
// committed, so a subscriber that re-reads at once sees it.
func (s *Store) tasksChanged(ctx context.Context, userID int64) {
	s.events.publish(ctx, userID)
}

// hub fans events out to this process's subscribers.
type hub struct {
	mu   sync.Mutex
	subs map[int64]map[chan struct{}]struct{}
}

func newHub() *hub { return &hub{subs: map[int64]map[chan struct{}]struct{}{}} }

func (h *hub) publish(_ context.Context, userID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs[userID] {
		signal(c)
	}
}

// publishAll wakes every subscriber, after events may have been missed.
func (h *hub) publishAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.subs {
		for c := range set {
			signal(c)
		}
	}
}

// signal sends on c without blocking: a full c already has an event
// waiting, which says the same.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (h *hub) subscribe(_ context.Context, userID int64) (*Subscription, error) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[userID] == nil {
		h.subs[userID] = map[chan struct{}]struct{}{}
	}
	h.subs[userID][c] = struct{}{}
	var once sync.Once
	return &Subscription{C: c, cancel: func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[userID], c)
			if len(h.subs[userID]) == 0 {
				delete(h.subs, userID)
			}
		})
	}}, nil
}

// subscribers counts the subscriptions open in this process.
func (h *hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.subs {
		n += len(set)
	}
	return n
}

func (h *hub) close() error { return nil }
