package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestUnknownRouteRendersNotFoundPage(t *testing.T) {
	app := newTestApp(t)
	p := app.browser().get("/no/such/page")
	if p.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", p.StatusCode)
	}
	if got := p.doc.Find("h1").Text(); got != "Not found" {
		t.Errorf("h1 = %q, want the not-found page", got)
	}
	if p.doc.Find(`link[rel="stylesheet"]`).Length() == 0 {
		t.Error("404 page is not wrapped in the layout")
	}
}

func TestPanicRendersErrorPageWithoutInternals(t *testing.T) {
	app := newTestApp(t)
	app.e.GET("/boom", func(echo.Context) error { panic("secret detail: SELECT * FROM users") })
	p := app.browser().get("/boom")
	if p.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", p.StatusCode)
	}
	id := p.Header.Get(echo.HeaderXRequestID)
	if id == "" || !strings.Contains(p.body, id) {
		t.Errorf("500 page does not show the request id %q", id)
	}
	for _, leak := range []string{"secret detail", "SELECT", "goroutine", ".go:"} {
		if strings.Contains(p.body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if !strings.Contains(app.logs.String(), "secret detail") {
		t.Error("the panic was not logged")
	}
}

func TestUnsafeRequestsNeedCSRFToken(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	b.get("/login")
	for name, form := range map[string]url.Values{
		"missing": {"email": {"a@example.com"}, "password": {"whatever1"}},
		"wrong":   {"email": {"a@example.com"}, "password": {"whatever1"}, "_csrf": {"forged"}},
	} {
		p := b.postRaw("/login", form)
		if p.StatusCode != http.StatusForbidden {
			t.Errorf("%s token: status = %d, want 403", name, p.StatusCode)
		}
	}
	// The header alone (as htmx sends it) is accepted.
	p := b.postRaw("/no-such-form", url.Values{}, "X-CSRF-Token: "+b.csrf)
	if p.StatusCode == http.StatusForbidden {
		t.Errorf("token in X-CSRF-Token header refused")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	if p := b.get("/healthz"); p.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d", p.StatusCode)
	}
	if p := b.get("/readyz"); p.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d with the database up", p.StatusCode)
	}
	app.store.Close()
	if p := b.get("/readyz"); p.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d with the database closed, want 503", p.StatusCode)
	}
}

func TestStaticAssetsAreCachedForever(t *testing.T) {
	app := newTestApp(t)
	b := app.browser()
	page := b.get("/no-page")
	href, _ := page.doc.Find(`link[rel="stylesheet"]`).Last().Attr("href")
	p := b.get(href)
	if p.StatusCode != http.StatusOK || !strings.Contains(p.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d, Cache-Control %q", href, p.StatusCode, p.Header.Get("Cache-Control"))
	}
}

func TestForbiddenPageStillShowsWhoIsSignedIn(t *testing.T) {
	app := newTestApp(t)
	b := app.signedIn("csrf-nav@example.com")
	p := b.postRaw("/logout", url.Values{"_csrf": {"forged"}})
	if p.StatusCode != http.StatusForbidden {
		t.Fatalf("status = %d, want 403", p.StatusCode)
	}
	if !strings.Contains(p.doc.Find("nav").Text(), "csrf-nav@example.com") {
		t.Errorf("403 page nav does not show the signed-in email: %q", p.doc.Find("nav").Text())
	}
}
