package web

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestManifest: the page links a manifest that is served as
// application/manifest+json, parses as JSON, opens the task list in its
// own window, and names icons that are served at the sizes it claims;
// the page carries theme colours for both schemes; and the CSP stays as
// strict as before (the manifest is same-origin under default-src).
func TestManifest(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.browser()

	login := b.get("/login")
	href := login.doc.Find(`link[rel=manifest]`).AttrOr("href", "")
	if href != "/manifest.webmanifest" {
		t.Fatalf("the page links the manifest at %q", href)
	}
	themes := login.doc.Find(`meta[name=theme-color]`)
	if themes.Length() != 2 || themes.First().AttrOr("media", "") != "(prefers-color-scheme: light)" || themes.Last().AttrOr("media", "") != "(prefers-color-scheme: dark)" {
		t.Errorf("theme-color metas: %d", themes.Length())
	}
	if csp := login.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP changed: %q", csp)
	}
	apple := login.doc.Find(`link[rel=apple-touch-icon]`).AttrOr("href", "")

	p := app.browser().get(href) // no session: browsers fetch it without cookies
	wantStatus(t, p, http.StatusOK)
	if ct := p.Header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Errorf("Content-Type %q", ct)
	}
	if p.Header.Get("Set-Cookie") != "" {
		t.Error("the manifest set a cookie")
	}
	var m struct {
		Name, Display, Scope string
		StartURL             string `json:"start_url"`
		ThemeColor           string `json:"theme_color"`
		Icons                []struct{ Src, Sizes, Type, Purpose string }
	}
	if err := json.Unmarshal([]byte(p.body), &m); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, p.body)
	}
	if m.Name != "taskapp" || m.StartURL != "/tasks" || m.Display != "standalone" || m.Scope != "/" || m.ThemeColor == "" {
		t.Errorf("manifest %+v", m)
	}
	var pngs []string
	for _, icon := range m.Icons {
		if icon.Type == "image/png" {
			pngs = append(pngs, icon.Sizes)
			w, _, _ := strings.Cut(icon.Sizes, "x")
			size, _ := strconv.Atoi(w)
			checkPNG(t, app, icon.Src, size)
		}
	}
	if !slices.Equal(pngs, []string{"192x192", "512x512"}) {
		t.Errorf("want PNG icons at 192 and 512, got %+v", m.Icons)
	}
	checkPNG(t, app, apple, 180)
}

// checkPNG fetches a PNG icon and checks its type and size.
func checkPNG(t *testing.T, app *testApp, src string, size int) {
	t.Helper()
	p := app.browser().get(src)
	wantStatus(t, p, http.StatusOK)
	if ct := p.Header.Get("Content-Type"); ct != "image/png" {
		t.Errorf("%s: Content-Type %q", src, ct)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader([]byte(p.body)))
	if err != nil || cfg.Width != size || cfg.Height != size {
		t.Errorf("%s: %dx%d (%v), want %dx%d", src, cfg.Width, cfg.Height, err, size, size)
	}
}
