package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/static"
)

// testApp is the real router on a fresh database (SQLite, or PostgreSQL
// with TEST_DATABASE_URL), served by httptest.
type testApp struct {
	t     *testing.T
	store *models.Store
	e     *echo.Echo
	srv   *httptest.Server
	logs  *syncBuffer
}

func newTestApp(t *testing.T, configure ...func(*Config)) *testApp {
	t.Helper()
	return newTestAppOn(t, dbtest.New(t), configure...)
}

// newTestAppOn is newTestApp on a store the test opened itself.
func newTestAppOn(t *testing.T, store *models.Store, configure ...func(*Config)) *testApp {
	t.Helper()
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	keys, err := SessionKeys(strings.Repeat("k", 32), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		SessionKeys: keys,
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
	}
	for _, f := range configure {
		f(&cfg)
	}
	e, err := New(cfg, store, assets)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testApp{t: t, store: store, e: e, srv: srv, logs: logs}
}

// browser is one person's cookie jar against the app. It does not follow
// redirects, so tests see the 303s the contract names.
type browser struct {
	app    *testApp
	client *http.Client
	csrf   string // from the last page's <meta name="csrf-token">
}

func (a *testApp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{app: a, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is a response with its body read and parsed.
type page struct {
	*http.Response
	body string
	doc  *goquery.Document
}

func (b *browser) do(req *http.Request) *page {
	b.app.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.app.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(raw)))
	if err != nil {
		b.app.t.Fatalf("parse %s: %v", req.URL, err)
	}
	if tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok {
		b.csrf = tok
	}
	return &page{Response: resp, body: string(raw), doc: doc}
}

// get fetches path; headers are "Name: value" strings (e.g. "HX-Request: true").
func (b *browser) get(path string, headers ...string) *page {
	b.app.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.srv.URL+path, nil)
	setHeaders(req, headers)
	return b.do(req)
}

// post submits form to path as a browser form would, with the CSRF token
// of the last page seen (fetching /login first if no page was seen).
func (b *browser) post(path string, form url.Values, headers ...string) *page {
	b.app.t.Helper()
	if b.csrf == "" {
		b.get("/login")
	}
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	return b.postRaw(path, form, headers...)
}

// postRaw submits form exactly as given.
func (b *browser) postRaw(path string, form url.Values, headers ...string) *page {
	b.app.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setHeaders(req, headers)
	return b.do(req)
}

// htmx is the header set htmx sends, with the CSRF token header.
func (b *browser) htmx() []string {
	return []string{"HX-Request: true", "X-CSRF-Token: " + b.csrf}
}

func setHeaders(req *http.Request, headers []string) {
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
}

// register creates an account through the form and leaves b signed in.
func (b *browser) register(email, password string) {
	b.app.t.Helper()
	b.get("/register")
	p := b.post("/register", url.Values{"email": {email}, "password": {password}, "password_confirm": {password}})
	if p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/tasks" {
		b.app.t.Fatalf("register %s: status %d, location %q\n%s", email, p.StatusCode, p.Header.Get("Location"), p.body)
	}
}

// signedIn returns a new browser signed in as a new account.
func (a *testApp) signedIn(email string) *browser {
	a.t.Helper()
	b := a.browser()
	b.register(email, "correct horse battery")
	return b
}

func (a *testApp) ctx() context.Context { return context.Background() }

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
