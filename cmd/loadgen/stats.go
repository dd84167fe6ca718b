package main

import (
	"fmt"
	"io"
	"taskapp/cmd/internal/bench"
	"taskapp/migrations"
	"text/tabwriter"
	"time"
)

// samples holds one endpoint's latencies (ms) and errors.
type samples struct {
	ms       []float64
	errs     int
	firstErr error
}

func (s *samples) pct(p float64) float64 {
	if len(s.ms) == 0 {
		return 0
	}
	i := int(float64(len(s.ms))*p+0.5) - 1
	return s.ms[min(max(i, 0), len(s.ms)-1)]
}

// levelResult is one concurrency level's figures.
type levelResult struct {
	c          int
	measured   time.Duration
	endpoints  map[string]*samples
	warmErrors int
	warmFirst  error
	pageBytes  int   // size of the largest full /tasks page, decoded
	pageWire   int   // the same page on the wire (zstd, as a browser gets it)
	pageGzip   int   // a page asked for with gzip only, after the level
	peakRSS    int64 // bytes, VmHWM over the level
	serverCPU  time.Duration
	dbCPU      time.Duration // PostgreSQL backends; 0 on SQLite
	clientCPU  time.Duration
	profiles   []string
}

func (r *levelResult) total() int {
	n := 0
	for _, s := range r.endpoints {
		n += len(s.ms)
	}
	return n
}

func (r *levelResult) errors() int {
	n := r.warmErrors
	for _, s := range r.endpoints {
		n += s.errs
	}
	return n
}

func (r *levelResult) print(w io.Writer, dialect migrations.Dialect, o options) {
	secs := r.measured.Seconds()
	perReq := func(d time.Duration) float64 {
		return float64(d) / float64(time.Millisecond) / float64(max(1, r.total()))
	}
	fmt.Fprintf(w, "\n%s, concurrency %d: %.1fs measured after %s warm-up; %d requests, %.0f req/s, %d errors; server peak RSS %s; page %d bytes, %d on the wire (zstd), %d with gzip\n",
		dialect, r.c, secs, o.warmup, r.total(), float64(r.total())/secs, r.errors(), mib(r.peakRSS), r.pageBytes, r.pageWire, r.pageGzip)
	fmt.Fprintf(w, "CPU: server %.2f cores (%.2f ms per request), PostgreSQL backends %.2f cores (%.2f ms), loadgen %.2f cores (%.2f ms); machine load average %s\n",
		r.serverCPU.Seconds()/secs, perReq(r.serverCPU), r.dbCPU.Seconds()/secs, perReq(r.dbCPU),
		r.clientCPU.Seconds()/secs, perReq(r.clientCPU), bench.LoadAvg())
	if p, ok := r.endpoints[epPage]; ok && o.mix == "page" {
		fmt.Fprintf(w, "server CPU per full page: %.3f ms\n", float64(r.serverCPU)/float64(time.Millisecond)/float64(max(1, len(p.ms))))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "endpoint\trequests\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
	for _, ep := range endpointOrder {
		s, ok := r.endpoints[ep]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", ep, len(s.ms), float64(len(s.ms))/secs,
			s.pct(0.50), s.pct(0.95), s.pct(0.99), s.pct(1), s.errs)
	}
	tw.Flush()
	for _, ep := range endpointOrder {
		if s, ok := r.endpoints[ep]; ok && s.errs > 0 {
			fmt.Fprintf(w, "!!! %s: %d ERRORS; first: %v\n", ep, s.errs, s.firstErr)
		}
	}
	if r.warmErrors > 0 {
		fmt.Fprintf(w, "!!! %d ERRORS during the warm-up; first: %v\n", r.warmErrors, r.warmFirst)
	}
	for _, p := range r.profiles {
		fmt.Fprintf(w, "profile: %s\n", p)
	}
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
