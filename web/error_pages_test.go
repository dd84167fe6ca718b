package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"taskapp/models"
)

// TestHandlerErrorsBecomePages: what a handler returns decides the status
// and the page; a 5xx is logged with its whole error chain and the request
// id, and the page shows the id and nothing internal.
func TestHandlerErrorsBecomePages(t *testing.T) {
	app := newTestApp(t)
	app.e.GET("/fails/unavailable", func(echo.Context) error {
		return fmt.Errorf("models: list tasks: %w: dial tcp 10.0.0.5:5432: connect refused", models.ErrUnavailable)
	})
	app.e.GET("/fails/bug", func(echo.Context) error {
		return errors.New("web: render list: SELECT secret FROM tasks")
	})
	for _, tc := range []struct {
		path, title, logged string
		status              int
	}{
		{"/fails/unavailable", "Temporarily unavailable", "10.0.0.5:5432", http.StatusServiceUnavailable},
		{"/fails/bug", "Something went wrong", "SELECT secret FROM tasks", http.StatusInternalServerError},
	} {
		p := app.browser().get(tc.path)
		if p.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, p.StatusCode, tc.status)
		}
		if got := p.doc.Find("h1").Text(); got != tc.title {
			t.Errorf("%s: h1 %q, want %q", tc.path, got, tc.title)
		}
		id := p.Header.Get(echo.HeaderXRequestID)
		if id == "" || !strings.Contains(p.body, id) {
			t.Errorf("%s: the page does not show the request id %q", tc.path, id)
		}
		if strings.Contains(p.body, tc.logged) {
			t.Errorf("%s: the page shows the internal error %q", tc.path, tc.logged)
		}
		logged := false
		for l := range strings.Lines(app.logs.String()) {
			logged = logged || strings.Contains(l, "level=ERROR") && strings.Contains(l, id) && strings.Contains(l, tc.logged)
		}
		if !logged {
			t.Errorf("%s: no error logged with id %s and the error chain; logs:\n%s", tc.path, id, app.logs.String())
		}
	}
}

// An error after the response began (a download cut off by the database)
// can no longer be a page: it is logged, with the request id.
func TestErrorAfterResponseBeganIsLogged(t *testing.T) {
	app := newTestApp(t)
	app.e.GET("/fails/midway", func(c echo.Context) error {
		c.Response().Write([]byte("title\r\nfirst row\r\n"))
		return errors.New("models: each task: connection lost")
	})
	p := app.browser().get("/fails/midway")
	if p.StatusCode != http.StatusOK || p.body != "title\r\nfirst row\r\n" {
		t.Errorf("status %d, body %q: want the response as it began", p.StatusCode, p.body)
	}
	id := p.Header.Get(echo.HeaderXRequestID)
	logged := false
	for l := range strings.Lines(app.logs.String()) {
		logged = logged || strings.Contains(l, "level=ERROR") && strings.Contains(l, id) && strings.Contains(l, "connection lost")
	}
	if !logged {
		t.Errorf("no error logged with id %s; logs:\n%s", id, app.logs.String())
	}
}
