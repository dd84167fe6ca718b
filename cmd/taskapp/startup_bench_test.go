package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"taskapp/models/dbtest"
)

// BenchmarkStartToReady is the time from starting `taskapp serve` on an
// already migrated database to the first 200 from /readyz, and from
// SIGTERM to exit with nothing in flight (docs/benchmarks.md). The
// process is this test binary running main, as a release binary would.
//
//	go test -run '^$' -bench StartToReady -benchtime 20x ./cmd/taskapp/
func BenchmarkStartToReady(b *testing.B) {
	dbURL := dbtest.URL(b)
	store := openTestStore(b, dbURL)
	if _, err := store.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	store.Close()
	dataDir := b.TempDir()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var ready, exit time.Duration
	for b.Loop() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(os.Args[0], "serve")
		// No SESSION_SECRET: the generated key is read back from the data
		// directory (the SQLite file's, or ./data on PostgreSQL), as on a
		// real restart.
		cmd.Env = append(os.Environ(), runMainEnv+"=1", "LISTEN_ADDR="+addr, "DATABASE_URL="+dbURL)
		cmd.Dir = dataDir
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			resp, err := client.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Since(start) > time.Minute {
				cmd.Process.Kill()
				b.Fatal("serve never became ready")
			}
			time.Sleep(time.Millisecond)
		}
		ready += time.Since(start)
		stop := time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			b.Fatalf("serve after SIGTERM: %v", err)
		}
		exit += time.Since(stop)
	}
	b.ReportMetric(float64(ready.Microseconds())/1000/float64(b.N), "ms-to-ready")
	b.ReportMetric(float64(exit.Microseconds())/1000/float64(b.N), "ms-to-exit")
	b.ReportMetric(0, "ns/op")
}
