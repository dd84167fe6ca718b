package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// TestRetryAfterIsLongEnough: a client that waits exactly the Retry-After
// it was given must then be let in. A wait of 1.5 s has to be announced as
// 2 seconds, never 1.
func TestRetryAfterIsLongEnough(t *testing.T) {
	l := newLimiter(RateLimit{Burst: 1, Every: 1500 * time.Millisecond})
	e := echo.New()
	call := func() (echo.Context, error) {
		c := e.NewContext(httptest.NewRequest(http.MethodPost, "/login", nil), httptest.NewRecorder())
		return c, takeTokens(c, limitKey{l, "k"})
	}
	if _, err := call(); err != nil {
		t.Fatalf("first attempt refused: %v", err)
	}
	c, err := call()
	if err == nil {
		t.Fatal("second attempt within the interval was let in")
	}
	secs, err := strconv.Atoi(c.Response().Header().Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("Retry-After = %q", c.Response().Header().Get("Retry-After"))
	}
	if ok, wait := l.allow("k", time.Now().Add(time.Duration(secs)*time.Second)); !ok {
		t.Errorf("after the %d s Retry-After the client is still refused for %v more", secs, wait)
	}
}
