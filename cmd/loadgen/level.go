package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// runLevel runs c clients for warm-up plus duration and gathers their
// figures, and the server's peak RSS and CPU over the level.
func runLevel(ctx context.Context, srv *server, users []*vuser, c int, o options, profileDir string) (*levelResult, error) {
	pid := srv.cmd.Process.Pid
	workers := make([]*worker, c)
	for i := range workers {
		workers[i] = &worker{u: users[i], base: srv.base, rng: rand.New(rand.NewPCG(uint64(c), uint64(i))), mix: o.mix,
			results: map[string]*samples{}, warmErrs: map[string]*samples{}}
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	startMeasure := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-startMeasure:
					w.measure = true
				default:
				}
				w.step(ctx)
			}
		})
	}
	time.Sleep(o.warmup)
	// The peak RSS is the level's own: the kernel resets VmHWM on "5".
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	cpu0, _ := procCPU(pid)
	db0 := dbBackendsCPU(srv.pgDB)
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	close(startMeasure)

	res := &levelResult{c: c, endpoints: map[string]*samples{}}
	var profErr error
	if o.profileDir != "" && c == o.profileAt {
		res.profiles, profErr = captureProfiles(srv.pprof, profileDir, c, o.duration)
	} else {
		select {
		case <-time.After(o.duration):
		case <-ctx.Done():
		}
	}
	cancel()
	wg.Wait()
	res.measured = time.Since(t0)
	cpu1, _ := procCPU(pid)
	res.serverCPU = cpu1 - cpu0
	// Backends that exited during the level are missed; the pool keeps
	// its connections, so there are none in practice.
	res.dbCPU = dbBackendsCPU(srv.pgDB) - db0
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	res.clientCPU = time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) * time.Nanosecond
	res.peakRSS = procStatusKB(pid, "VmHWM") * 1024

	for _, w := range workers {
		if w.pageLen > res.pageBytes {
			res.pageBytes, res.pageWire = w.pageLen, w.pageWire
		}
		for ep, s := range w.results {
			agg := res.endpoints[ep]
			if agg == nil {
				agg = &samples{}
				res.endpoints[ep] = agg
			}
			agg.ms = append(agg.ms, s.ms...)
			agg.errs += s.errs
			if agg.firstErr == nil {
				agg.firstErr = s.firstErr
			}
		}
		for _, s := range w.warmErrs {
			res.warmErrors += s.errs
			if res.warmFirst == nil {
				res.warmFirst = s.firstErr
			}
		}
	}
	for _, s := range res.endpoints {
		slices.Sort(s.ms)
	}
	// One page more, outside the measured time, for its size with gzip:
	// what clients that do not offer zstd receive.
	if wire, _, err := do(parent, users[0].client, http.MethodGet, srv.base+"/tasks", nil, gzipOnly, http.StatusOK); err == nil {
		res.pageGzip = len(wire)
	}
	return res, profErr
}
