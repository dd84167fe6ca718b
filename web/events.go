package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// DefaultHeartbeat is how often an idle event stream sends a comment, so
// that proxies and load balancers that close quiet connections keep it,
// and a dead client is noticed.
const DefaultHeartbeat = 25 * time.Second

// eventSource is what the event stream needs of the store.
type eventSource interface {
	SubscribeTasks(ctx context.Context, userID int64) (*models.Subscription, error)
}

// EventsHandler serves GET /events: one Server-Sent Events stream per open
// page, telling it when the signed-in user's tasks changed (anywhere: this
// tab, another, another instance). The page then re-fetches its own list.
type EventsHandler struct {
	store     eventSource
	heartbeat time.Duration
}

// NewEventsHandler serves events from store, with a heartbeat comment
// every heartbeat (DefaultHeartbeat if 0).
func NewEventsHandler(store eventSource, heartbeat time.Duration) *EventsHandler {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &EventsHandler{store: store, heartbeat: heartbeat}
}

// Routes registers the stream on a signed-in group.
func (h *EventsHandler) Routes(r router) {
	r.GET(views.PathEvents, h.stream)
}

// The stream's wire format: "tasks" events with no data worth reading,
// and comments as heartbeats. retry is the browser's reconnect delay.
const (
	streamHello     = "retry: 2000\n: listening\n\n"
	streamHeartbeat = ": heartbeat\n\n"
	streamTasks     = "event: tasks\ndata: changed\n\n"
)

// A page names itself with a random id (static/app.js): in its stream's
// query (?page=) and in a header on the requests it makes. Changes a page
// makes itself are not announced back to it (models.WithEventOrigin).
const (
	livePageParam  = "page"
	livePageHeader = "X-Live-Page"
)

// livePage returns v if it is a page id as static/app.js makes them (1 to
// 64 letters, digits, '-' or '_'), or "".
func livePage(v string) string {
	if len(v) == 0 || len(v) > 64 {
		return ""
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return v
}

// withLivePage puts the page a request comes from into its context, so
// that the store does not announce the request's own changes to it.
func withLivePage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if page := livePage(c.Request().Header.Get(livePageHeader)); page != "" {
			r := c.Request()
			c.SetRequest(r.WithContext(models.WithEventOrigin(r.Context(), page)))
		}
		return next(c)
	}
}

func (h *EventsHandler) stream(c echo.Context) error {
	ctx := c.Request().Context()
	if page := livePage(c.QueryParam(livePageParam)); page != "" {
		ctx = models.WithEventOrigin(ctx, page)
	}
	sub, err := h.store.SubscribeTasks(ctx, ownerID(c))
	if err != nil {
		return fmt.Errorf("web: subscribe to events: %w", err)
	}
	defer sub.Close()

	w := c.Response()
	rc := http.NewResponseController(w)
	// The server's read and write timeouts protect against slow clients on
	// ordinary requests; a stream is meant to stay open. Past a read
	// deadline the server would cancel the request, past a write deadline
	// drop the connection.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return fmt.Errorf("web: event stream: %w", err)
	}
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return fmt.Errorf("web: event stream: %w", err)
	}
	hd := w.Header()
	hd.Set(echo.HeaderContentType, "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	// Buffering proxies (nginx) would hold events back.
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	send := func(msg string) error {
		if _, err := w.Write([]byte(msg)); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send(streamHello); err != nil {
		return nil // the client left
	}
	beat := time.NewTicker(h.heartbeat)
	defer beat.Stop()
	for {
		var msg string
		select {
		case <-ctx.Done():
			return nil
		case <-shuttingDown(ctx):
			// The browser reconnects to another instance, or to this one
			// when it is back, and refreshes then.
			return nil
		case <-sub.C:
			// A session ended since the stream opened hears no more (the
			// browser's reconnect then finds itself signed out). When the
			// database cannot say, the event goes out: the refresh it
			// causes checks the session as every request does.
			if ok, _ := sessionFrom(c).stillSignedIn(c); !ok {
				return nil
			}
			msg = streamTasks
		case <-beat.C:
			msg = streamHeartbeat
		}
		if err := send(msg); err != nil {
			return nil
		}
	}
}
