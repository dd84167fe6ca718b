package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
)

func TestPprofAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"":               true, // off
		"127.0.0.1:6060": true,
		"localhost:6060": true,
		"[::1]:6060":     true,
		"0.0.0.0:6060":   false,
		":6060":          false,
		"10.0.0.5:6060":  false,
		"127.0.0.1":      false,
	} {
		_, err := loadConfig(environ{"PPROF_ADDR": addr}.getenv, io.Discard)
		var usage *usageError
		if ok && err != nil {
			t.Errorf("PPROF_ADDR=%q: %v", addr, err)
		}
		if !ok && !errors.As(err, &usage) {
			t.Errorf("PPROF_ADDR=%q accepted (err %v), want a usage error", addr, err)
		}
	}
}

// TestPprofServes: with PPROF_ADDR the profiles answer on their own
// listener, apart from the app's.
func TestPprofServes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if err := servePprof(ctx, addr, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("heap profile: status %d", resp.StatusCode)
	}
}
