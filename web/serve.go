package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// NewHTTPServer wraps h in an http.Server with timeouts that keep slow or
// idle clients from holding connections forever. Event streams lift the
// read and write timeouts for themselves, and end when Shutdown begins:
// Shutdown waits for every handler, and a stream would never return.
func NewHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	stop := make(chan struct{})
	srv := &http.Server{
		Handler:           h,
		BaseContext:       func(net.Listener) context.Context { return withShutdown(context.Background(), stop) },
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	var once sync.Once
	srv.RegisterOnShutdown(func() { once.Do(func() { close(stop) }) })
	return srv
}

type shutdownKey struct{}

// withShutdown gives requests a channel that closes when their server
// begins shutting down.
func withShutdown(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, shutdownKey{}, stop)
}

// shuttingDown is the channel that closes when the server serving ctx
// begins shutting down; nil (never ready) for a server that did not set
// one up, such as httptest's.
func shuttingDown(ctx context.Context) <-chan struct{} {
	stop, _ := ctx.Value(shutdownKey{}).(<-chan struct{})
	return stop
}

// Serve serves srv on ln until ctx is done, then shuts down gracefully:
// it stops accepting, closes the connections that carry no request, lets
// in-flight requests finish (up to 20 s) and returns.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	conns := newConnTracker(srv.ConnState)
	srv.ConnState = conns.track
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("web: serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down; finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(shutdownCtx) }()
	// Shutdown closes the listener and the idle connections, but counts
	// a connection accepted and still waiting for its first request as
	// busy for 5 s. A client that opened one and sent nothing yet would
	// hold the exit that long; it is closed instead (its request, if any
	// is on the way, was never answered, so nothing acknowledged is lost).
	conns.closeQuiet()
	if err := <-shutdown; err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: serve: %w", err)
	}
	return nil
}

// connTracker follows the server's connections through http.Server's
// ConnState hook, so that shutdown can close those without a request in
// flight: new (accepted, no request read yet) and idle ones.
type connTracker struct {
	next    func(net.Conn, http.ConnState) // a hook already set, still called
	mu      sync.Mutex
	conns   map[net.Conn]http.ConnState
	closing bool
}

func newConnTracker(next func(net.Conn, http.ConnState)) *connTracker {
	return &connTracker{next: next, conns: map[net.Conn]http.ConnState{}}
}

func (t *connTracker) track(c net.Conn, state http.ConnState) {
	if t.next != nil {
		t.next(c, state)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch state {
	case http.StateNew, http.StateIdle:
		if t.closing {
			// Accepted or back from a request after shutdown began.
			c.Close()
			delete(t.conns, c)
			return
		}
		t.conns[c] = state
	case http.StateActive:
		t.conns[c] = state
	case http.StateHijacked, http.StateClosed:
		delete(t.conns, c)
	}
}

// closeQuiet closes every connection without a request in flight, now
// and as others become so.
func (t *connTracker) closeQuiet() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closing = true
	for c, state := range t.conns {
		if state == http.StateNew || state == http.StateIdle {
			c.Close()
			delete(t.conns, c)
		}
	}
}
