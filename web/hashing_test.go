package web

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// What a hash allocated is collected as soon as it is done, rather than
// when the heap has grown enough for the collector to run: a burst of
// sign-ins otherwise piles up 19 MiB of garbage per hash. (Not parallel:
// another test's collection could free the garbage first and hide a
// regression.)
func TestHashGateCollectsHashMemory(t *testing.T) {
	g := newHashGate(1, time.Second)
	c := echo.New().NewContext(httptest.NewRequest(http.MethodPost, "/login", nil), httptest.NewRecorder())
	const size = 64 << 20
	runtime.GC()
	if err := g.run(c, func() {
		b := make([]byte, size) // stands in for argon2id's memory
		b[size-1] = 1
		runtime.KeepAlive(b)
	}); err != nil {
		t.Fatal(err)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc >= size {
		t.Errorf("after the hash, %d MiB of heap is still allocated: its memory was not collected", m.HeapAlloc>>20)
	}
}

// By default half the cores hash, at least one: a flood of sign-ins
// leaves the rest to the pages, and its memory stays at one hash per
// slot (19 MiB each).
func TestDefaultHashSlots(t *testing.T) {
	t.Parallel()
	for procs, want := range map[int]int{1: 1, 2: 1, 3: 1, 4: 2, 8: 4} {
		if got := defaultHashSlots(procs); got != want {
			t.Errorf("%d cores: %d slots, want %d", procs, got, want)
		}
	}
	if got, want := cap(newHashGate(0, 0).slots), defaultHashSlots(runtime.GOMAXPROCS(0)); got != want {
		t.Errorf("a gate of default size has %d slots, want %d", got, want)
	}
}
