package web

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/views"
)

// eventStream is an open GET /events, read frame by frame.
type eventStream struct {
	t      *testing.T
	frames chan string // closed when the stream ends
}

// openEvents opens b's event stream on base (the app's URL, or another
// server's in front of the same router) and waits for its first frame.
func (b *browser) openEvents(base string) *eventStream {
	b.app.t.Helper()
	return b.openPageEvents(base, "")
}

// openPageEvents is openEvents for the page called page (?page=).
func (b *browser) openPageEvents(base, page string) *eventStream {
	b.app.t.Helper()
	t := b.app.t
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	u := base + views.PathEvents
	if page != "" {
		u += "?page=" + url.QueryEscape(page)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("open events: %v", err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("open events: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &eventStream{t: t, frames: make(chan string, 100)}
	go func() {
		defer close(s.frames)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var frame strings.Builder
		for sc.Scan() {
			if sc.Text() != "" {
				frame.WriteString(sc.Text() + "\n")
				continue
			}
			s.frames <- frame.String()
			frame.Reset()
		}
	}()
	if f := s.next(); !strings.Contains(f, "retry:") {
		t.Fatalf("first frame %q, want the greeting", f)
	}
	return s
}

// next is the stream's next frame; it fails the test if the stream ended
// or stayed silent far longer than any heartbeat (a hang guard).
func (s *eventStream) next() string {
	s.t.Helper()
	select {
	case f, ok := <-s.frames:
		if !ok {
			s.t.Fatal("the event stream ended")
		}
		return f
	case <-time.After(20 * time.Second):
		s.t.Fatal("no frame on the event stream")
	}
	return ""
}

// nextEvent skips heartbeats and returns the next event frame.
func (s *eventStream) nextEvent() string {
	s.t.Helper()
	for {
		if f := s.next(); !strings.HasPrefix(f, ":") {
			return f
		}
	}
}

func (b *browser) mustCreateTask(title string) {
	b.app.t.Helper()
	p := b.post(views.PathTasks, url.Values{"title": {title}})
	wantStatus(b.app.t, p, http.StatusSeeOther)
}

// A change made in one tab reaches the owner's other open pages, and only
// the owner's: Bob's stream carries heartbeats and nothing else while
// Alice works, and then his own change.
func TestEventsReachTheOwnersPagesOnly(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.Heartbeat = 20 * time.Millisecond })
	alice, bob := app.taskUser("alice@example.com"), app.taskUser("bob@example.com")
	aliceTab, bobTab := alice.openEvents(app.srv.URL), bob.openEvents(app.srv.URL)

	alice.mustCreateTask("Alice's task")
	if f := aliceTab.nextEvent(); f != "event: tasks\ndata: changed\n" {
		t.Fatalf("Alice's stream sent %q, want a tasks event", f)
	}
	// A leaked event was published before Alice's POST returned; three
	// heartbeats later it would have been written.
	for range 3 {
		if f := bobTab.next(); !strings.HasPrefix(f, ":") {
			t.Fatalf("Bob's stream sent %q after Alice's change", f)
		}
	}
	bob.mustCreateTask("Bob's task")
	if f := bobTab.nextEvent(); !strings.HasPrefix(f, "event: tasks") {
		t.Fatalf("Bob's stream sent %q, want a tasks event", f)
	}
}

// A page's own change is not announced back to it: its response has
// shown it, and a refresh would undo what the response left. The same
// person's other page hears it.
func TestEventsSkipThePageThatMadeTheChange(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.Heartbeat = 20 * time.Millisecond })
	ann := app.taskUser("ann@example.com")
	laptop, phone := ann.openPageEvents(app.srv.URL, "laptop-page"), ann.openPageEvents(app.srv.URL, "phone-page")
	p := ann.post(views.PathTasks, url.Values{"title": {"Typed on the laptop"}}, append(ann.htmx(), "X-Live-Page: laptop-page")...)
	wantStatus(t, p, http.StatusOK)
	if f := phone.nextEvent(); !strings.HasPrefix(f, "event: tasks") {
		t.Fatalf("the phone's page got %q, want a tasks event", f)
	}
	for range 3 {
		if f := laptop.next(); !strings.HasPrefix(f, ":") {
			t.Fatalf("the laptop's page heard its own change: %q", f)
		}
	}
}

// A stream whose session ends elsewhere (signed out in another tab, ended
// from the account page, on another instance) hears no more: at the next
// change it ends instead of telling the browser.
func TestEventStreamEndsWithItsSession(t *testing.T) {
	app := newTestApp(t)
	alice := app.taskUser("alice@example.com")
	tab := alice.openEvents(app.srv.URL)
	if _, err := app.store.DeleteSessions(app.ctx(), alice.id, 0); err != nil {
		t.Fatal(err)
	}
	app.addTask(alice.id, "Made after the session ended", "", models.StatusPending)
	for {
		select {
		case f, ok := <-tab.frames:
			if !ok {
				return // ended, as it should
			}
			if !strings.HasPrefix(f, ":") {
				t.Fatalf("an ended session's stream sent %q", f)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the stream of an ended session is still open")
		}
	}
}

// Signed out, there is no stream: the login page instead.
func TestEventsNeedSignIn(t *testing.T) {
	app := newTestApp(t)
	p := app.browser().get(views.PathEvents)
	wantStatus(t, p, http.StatusSeeOther)
	if loc := p.Header.Get("Location"); !strings.HasPrefix(loc, views.PathLogin+"?") {
		t.Errorf("Location = %q, want the login page", loc)
	}
}

// serveApp serves app's router through the production server (its
// timeouts, its shutdown), with tune applied to the http.Server, until
// the returned stop is called; stop returns what Serve returned.
func serveApp(t *testing.T, app *testApp, tune func(*http.Server)) (base string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	srv := NewHTTPServer(app.e, logger)
	tune(srv)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, srv, ln, logger) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-served
	}
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), stop
}

// The server's read and write timeouts guard ordinary requests; an event
// stream outlives them and still delivers.
func TestEventStreamOutlivesServerTimeouts(t *testing.T) {
	app := newTestApp(t)
	base, _ := serveApp(t, app, func(s *http.Server) {
		s.ReadTimeout, s.WriteTimeout = 100*time.Millisecond, 100*time.Millisecond
	})
	alice := app.taskUser("alice@example.com")
	tab := alice.openEvents(base)
	time.Sleep(500 * time.Millisecond) // well past both timeouts
	alice.mustCreateTask("After the timeouts")
	if f := tab.nextEvent(); !strings.HasPrefix(f, "event: tasks") {
		t.Fatalf("stream sent %q, want a tasks event", f)
	}
}

// Idle streams send heartbeats.
func TestEventStreamSendsHeartbeats(t *testing.T) {
	app := newTestApp(t, func(c *Config) { c.Heartbeat = 20 * time.Millisecond })
	tab := app.taskUser("alice@example.com").openEvents(app.srv.URL)
	if f := tab.next(); f != ": heartbeat\n" {
		t.Fatalf("idle stream sent %q, want a heartbeat", f)
	}
}

// Shutdown ends open streams, so it finishes within its budget instead of
// waiting for them, and Serve returns cleanly.
func TestShutdownEndsEventStreams(t *testing.T) {
	app := newTestApp(t)
	base, stop := serveApp(t, app, func(*http.Server) {})
	tab := app.taskUser("alice@example.com").openEvents(base)
	if err := stop(); err != nil {
		t.Fatalf("Serve returned %v; want a clean shutdown with a stream open", err)
	}
	for f := range tab.frames {
		if !strings.HasPrefix(f, ":") {
			t.Errorf("unexpected frame %q while shutting down", f)
		}
	}
}

// A live refresh redraws the region at the page's own URL but adds no
// history entry: the person did not navigate.
func TestLiveRefreshPushesNoHistory(t *testing.T) {
	app := newTestApp(t)
	alice := app.taskUser("alice@example.com")
	p := alice.get(views.PathTasks+"?status=pending", append(alice.htmx(), "X-Live-Refresh: true")...)
	wantStatus(t, p, http.StatusOK)
	if u := p.Header.Get("HX-Push-Url"); u != "" {
		t.Errorf("HX-Push-Url = %q on a live refresh, want none", u)
	}
	if p.doc.Find("#task-region[data-live='"+views.PathEvents+"']").Length() != 1 {
		t.Error("the refreshed region does not name its event stream")
	}
}
