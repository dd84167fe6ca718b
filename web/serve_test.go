package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Stopping the server lets a request already in flight finish with its
// full response, and Serve returns cleanly.
func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, NewHTTPServer(h, logger), ln, logger) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	stop() // as SIGTERM does in cmd/taskapp
	time.Sleep(50 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the server still accepts connections after shutdown began")
	}
	close(release)
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request: body %q, err %v; want it to finish", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v after a graceful shutdown", err)
	}
}

// A body over the limit is refused with a page, before anything reads it.
func TestOversizedBodyIsRefused(t *testing.T) {
	app := newTestApp(t)
	b := app.signedIn("big@example.com")
	b.get("/tasks")
	p := b.post("/tasks", url.Values{"title": {"x"}, "description": {strings.Repeat("a", 300<<10)}})
	if p.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", p.StatusCode)
	}
	if h1 := p.doc.Find("h1").Text(); h1 != "Too much text" {
		t.Errorf("h1 = %q, want the 413 page", h1)
	}
}
