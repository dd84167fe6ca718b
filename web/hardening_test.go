package web

import (
	"bytes"
	"crypto/tls"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"taskapp/models"
	"testing"
)

// countTasks is how many tasks u has.
func countTasks(t *testing.T, app *testApp, u taskUser) int64 {
	t.Helper()
	c, err := app.store.CountTasks(app.ctx(), u.id, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c.All()
}

// onlyReader hides everything but Read, so that net/http cannot tell the
// body's length and sends it chunked, without Content-Length.
type onlyReader struct{ io.Reader }

func TestOversizedFormIsRefusedBeforeItIsRead(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("big@example.com")
	form := url.Values{"_csrf": {u.csrf}, "title": {"a fine title"}, "pad": {strings.Repeat("x", 5<<20)}}
	body := form.Encode()
	for name, r := range map[string]io.Reader{
		"with Content-Length": strings.NewReader(body),
		"chunked":             onlyReader{strings.NewReader(body)},
	} {
		req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/tasks", r)
		req.Header.Set("Content-Type", mimeForm)
		p := u.do(req)
		if p.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("5 MB form %s: status %d, want 413", name, p.StatusCode)
		}
	}
	if n := countTasks(t, app, u); n != 0 {
		t.Errorf("%d tasks created by oversized forms", n)
	}
}

// countingReader counts what the server read of a body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestMultipartIsRefusedUnread(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("multi@example.com")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", u.csrf)
	mw.WriteField("title", "from a multipart form")
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte("x"), 1<<20))
	mw.Close()
	for _, path := range []string{"/login", "/register", "/tasks", "/nowhere"} {
		body := &countingReader{r: bytes.NewReader(buf.Bytes())}
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		rec := httptest.NewRecorder()
		app.e.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("multipart POST %s: status %d, want 415", path, rec.Code)
		}
		if body.n != 0 {
			t.Errorf("multipart POST %s: %d bytes of the body read before refusing it", path, body.n)
		}
	}
	// Through a real connection too, signed in.
	req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/tasks", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	wantStatus(t, u.do(req), http.StatusUnsupportedMediaType)
	if n := countTasks(t, app, u); n != 0 {
		t.Errorf("a multipart form created %d tasks", n)
	}
}

func TestCSRFTokenAndMethodNotTakenFromTheQuery(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("query@example.com")
	p := u.postRaw("/tasks?_csrf="+url.QueryEscape(u.csrf), url.Values{"title": {"smuggled"}})
	wantStatus(t, p, http.StatusForbidden)
	if n := countTasks(t, app, u); n != 0 {
		t.Errorf("a token in the query string created %d tasks", n)
	}

	task := app.addTask(u.id, "keep me", "", "pending")
	u.get("/tasks")
	p = u.post(path(task.ID)+"?_method=DELETE", url.Values{})
	wantStatus(t, p, http.StatusMethodNotAllowed)
	if _, err := app.store.TaskByID(app.ctx(), u.id, task.ID); err != nil {
		t.Errorf("_method in the query string deleted the task: %v", err)
	}
	// From the body it works, as the no-JavaScript forms send it.
	u.get("/tasks")
	wantRedirect(t, u.post(path(task.ID), url.Values{"_method": {"DELETE"}}), "/tasks")
}

// serve sends req straight to the router, as from peer.
func (a *testApp) serve(req *http.Request, peer string) *httptest.ResponseRecorder {
	req.RemoteAddr = peer
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	return rec
}

func TestStrictTransportSecurityOnlyOverHTTPS(t *testing.T) {
	t.Parallel()
	_, proxy, _ := net.ParseCIDR("10.0.0.1/32")
	app := newTestApp(t, func(c *Config) { c.TrustedProxies = []*net.IPNet{proxy} })
	for _, tc := range []struct {
		name      string
		peer      string
		tls       bool
		forwarded string
		want      bool
	}{
		{"plain http", "192.0.2.1:1234", false, "", false},
		{"direct TLS", "192.0.2.1:1234", true, "", true},
		{"https via trusted proxy", "10.0.0.1:1234", false, "https", true},
		{"http via trusted proxy", "10.0.0.1:1234", false, "http", false},
		{"https claimed by a client", "192.0.2.1:1234", false, "https", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		if tc.forwarded != "" {
			req.Header.Set("X-Forwarded-Proto", tc.forwarded)
		}
		got := app.serve(req, tc.peer).Header().Get("Strict-Transport-Security")
		if (got != "") != tc.want {
			t.Errorf("%s: Strict-Transport-Security = %q, want set: %v", tc.name, got, tc.want)
		}
		if tc.want && !strings.HasPrefix(got, "max-age=") {
			t.Errorf("%s: Strict-Transport-Security = %q", tc.name, got)
		}
	}
}

func TestRequestIDIsOursUnlessATrustedProxySentIt(t *testing.T) {
	t.Parallel()
	_, proxy, _ := net.ParseCIDR("10.0.0.1/32")
	app := newTestApp(t, func(c *Config) { c.TrustedProxies = []*net.IPNet{proxy} })
	for _, tc := range []struct {
		name, peer, sent string
		kept             bool
	}{
		{"from a client", "192.0.2.1:1234", "client-chosen-id", false},
		{"from a trusted proxy", "10.0.0.1:1234", "proxy-id-42", true},
		{"markup from a trusted proxy", "10.0.0.1:1234", "<b>id</b>", false},
		{"none", "192.0.2.1:1234", "", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/nowhere", nil)
		if tc.sent != "" {
			req.Header.Set("X-Request-ID", tc.sent)
		}
		rec := app.serve(req, tc.peer)
		got := rec.Header().Get("X-Request-ID")
		if got == "" || (got == tc.sent) != tc.kept {
			t.Errorf("%s: X-Request-ID %q answered with %q, want kept: %v", tc.name, tc.sent, got, tc.kept)
		}
	}
	if strings.Contains(app.logs.String(), "client-chosen-id") {
		t.Error("the client's request id reached the log")
	}
}

func TestPagesAnswerHEAD(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("head@example.com")
	for _, tc := range []struct {
		b    *browser
		path string
		want int
	}{
		{app.browser(), "/login", http.StatusOK},
		{app.browser(), "/register", http.StatusOK},
		{u.browser, "/tasks", http.StatusOK},
		{u.browser, "/account", http.StatusOK},
		{app.browser(), "/tasks", http.StatusSeeOther},
		{app.browser(), "/", http.StatusSeeOther},
	} {
		req, _ := http.NewRequest(http.MethodHead, app.srv.URL+tc.path, nil)
		p := tc.b.do(req)
		if p.StatusCode != tc.want || p.body != "" {
			t.Errorf("HEAD %s: status %d with %d bytes of body, want %d and none", tc.path, p.StatusCode, len(p.body), tc.want)
		}
	}
}
