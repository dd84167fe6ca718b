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
	// publish announces that userID's tasks changed, made by the page
	// named by ctx's event origin (if any).
	publish(ctx context.Context, userID int64)
	// subscribe delivers userID's events until cancel is called, except
	// those made by the page named by ctx's event origin.
	subscribe(ctx context.Context, userID int64) (*Subscription, error)
	close() error
}

// eventOriginKey is the context key of the page an event comes from.
type eventOriginKey struct{}

// WithEventOrigin names the open page a request comes from (a random id
// the page chose). A write made with it is not announced to that page's
// own subscription: the page already shows what its own request changed,
// and refreshing it as well would undo what the response put there (a
// row left visible, focus) while the person goes on working.
func WithEventOrigin(ctx context.Context, origin string) context.Context {
	return context.WithValue(ctx, eventOriginKey{}, origin)
}

// eventOrigin is ctx's page, or "" for none.
func eventOrigin(ctx context.Context) string {
	o, _ := ctx.Value(eventOriginKey{}).(string)
	return o
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

// hub fans events out to this process's subscribers. Each subscription's
// channel maps to the page it is for.
type hub struct {
	mu   sync.Mutex
	subs map[int64]map[chan struct{}]string
}

func newHub() *hub { return &hub{subs: map[int64]map[chan struct{}]string{}} }

func (h *hub) publish(ctx context.Context, userID int64) {
	h.deliver(userID, eventOrigin(ctx))
}

// deliver wakes userID's subscribers, except the origin page's own.
func (h *hub) deliver(userID int64, origin string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c, page := range h.subs[userID] {
		if origin != "" && page == origin {
			continue
		}
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

func (h *hub) subscribe(ctx context.Context, userID int64) (*Subscription, error) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[userID] == nil {
		h.subs[userID] = map[chan struct{}]string{}
	}
	h.subs[userID][c] = eventOrigin(ctx)
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
