package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"taskapp/models/dbtest"
)

// TestServeReadsRegistration: REGISTRATION=closed reaches the web server.
func TestServeReadsRegistration(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // serve listens itself; another process taking the port in between is unlikely
	env := environ{
		"DATABASE_URL":   dbtest.URL(t),
		"SESSION_SECRET": strings.Repeat("s", 32),
		"LISTEN_ADDR":    addr,
		"REGISTRATION":   "closed",
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, env.getenv, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	var resp *http.Response
	for range 200 { // until serve has migrated and listens
		if resp, err = http.Get("http://" + addr + "/register"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /register with REGISTRATION=closed: %d, want 403", resp.StatusCode)
	}
}
