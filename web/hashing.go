package web

import (
	"errors"
	"math"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// hashGate bounds how many password hashes (argon2id, 19 MiB each) the
// server computes at once, so that a flood of sign-ins costs at most
// slots × 19 MiB instead of exhausting memory. Each hash keeps one core
// busy, so more slots than cores would add memory and no throughput.
//
// The gate lives here, in the HTTP layer, rather than around the hash in
// models: what to do when it is full (wait a little, then answer 503 with
// Retry-After) is a decision about requests, while the command line hashes
// one password and must never be turned away.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration // how long a request waits for a slot
}

// defaultHashWait is how long a sign-in waits for a slot: several hashes'
// worth, so that a burst of real sign-ins queues instead of failing.
const defaultHashWait = time.Second

// newHashGate returns a gate with n slots; n ≤ 0 means half the cores Go
// may use (GOMAXPROCS, which follows the container's CPU limit), at least
// one. Half, not all: a flood of sign-ins then leaves the other cores to
// the pages of people already signed in, and on two cores it keeps 50
// simultaneous sign-ins at 49.5 MiB peak RSS instead of 68.6 MiB with two
// slots, for 23 instead of 24 of them getting in within the wait (loadgen
// -burst 50; the hashes were competing with the rest of the server for
// the cores anyway).
func newHashGate(n int, wait time.Duration) *hashGate {
	if n <= 0 {
		n = defaultHashSlots(runtime.GOMAXPROCS(0))
	}
	if wait <= 0 {
		wait = defaultHashWait
	}
	return &hashGate{slots: make(chan struct{}, n), wait: wait}
}

// defaultHashSlots is the gate's size for a server with procs cores.
func defaultHashSlots(procs int) int { return max(1, procs/2) }

// errHashingBusy is the 503 for a request that found no slot in time.
var errHashingBusy = echo.NewHTTPError(http.StatusServiceUnavailable, "password hashing at capacity")

// run calls hash once a slot is free. When none frees up within the wait
// it returns errHashingBusy with Retry-After set, without hashing.
func (g *hashGate) run(c echo.Context, hash func()) error {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		secs := max(1, int(math.Ceil(g.wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return errHashingBusy
	case <-c.Request().Context().Done():
		return c.Request().Context().Err()
	}
	defer func() { <-g.slots }()
	hash()
	// The hash's 19 MiB are garbage as soon as it returns, and the
	// collector would let a heap's worth of them pile up before it ran:
	// 50 sign-ins at once peaked at 128 MiB with two slots. Collecting
	// (and returning the memory) after each hash keeps the peak to the
	// hashes in progress, 70 MiB, for a millisecond or two of a collection
	// beside tens of milliseconds of hashing.
	debug.FreeOSMemory()
	return nil
}

// isHashingBusy reports whether err is the gate's 503.
func isHashingBusy(err error) bool { return errors.Is(err, errHashingBusy) }
