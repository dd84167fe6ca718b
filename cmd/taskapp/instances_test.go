package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"taskapp/models/dbtest"
)

// instance is one `taskapp serve` process of the multi-instance test.
type instance struct {
	base string
	cmd  *exec.Cmd
	dir  string // its working directory
}

// withoutEnv is env without the variable called name.
func withoutEnv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// startInstance runs bin serve on a free loopback port and waits for
// /readyz; the process is stopped (SIGTERM, as an orchestrator does) when
// the test ends. It runs in a directory of its own (its ./data, as on a
// machine of its own) and without SESSION_SECRET: the instances must
// agree on the session key through the database alone.
func startInstance(t *testing.T, bin, dbURL, logPath string) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Dir = t.TempDir()
	cmd.Env = append(withoutEnv(os.Environ(), "SESSION_SECRET"), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr,
		"SECURE_COOKIES=false")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", addr, b)
		}
	})
	in := &instance{base: "http://" + addr, cmd: cmd, dir: cmd.Dir}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(in.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance on %s never became ready", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSeveralInstancesShareOneDatabase: three instances behind a
// round-robin proxy, one PostgreSQL, no SESSION_SECRET. A session made
// through the proxy works on every instance (they share the generated
// key and the sessions); a change made through instance A reaches an
// event stream connected to instance C; wrong passwords spread over the
// three instances hit one limit; signing out through one instance ends
// the session on all.
func TestSeveralInstancesShareOneDatabase(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("several instances share PostgreSQL only; set " + dbtest.EnvURL)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "taskapp")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := dbtest.URL(t)
	// The first migrates; the others start on an up-to-date schema.
	a := startInstance(t, bin, dbURL, filepath.Join(dir, "a.log"))
	b := startInstance(t, bin, dbURL, filepath.Join(dir, "b.log"))
	c := startInstance(t, bin, dbURL, filepath.Join(dir, "c.log"))
	instances := []*instance{a, b, c}

	var next atomic.Int64
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		u, _ := url.Parse(instances[next.Add(1)%3].base)
		r.SetURL(u)
	}})
	t.Cleanup(proxy.Close)

	// Cookies are per host, not per port: one jar serves the proxy and
	// each instance, as one browser's would behind one address.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(base, path string) (int, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	post := func(base, path string, form url.Values, csrf string) int {
		t.Helper()
		form.Set("_csrf", csrf)
		resp, err := client.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	_, page := get(proxy.URL, "/register")
	m := csrfMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the registration page")
	}
	pw := "correct horse battery"
	if st := post(proxy.URL, "/register", url.Values{"email": {"ann@example.com"}, "password": {pw}, "password_confirm": {pw}}, m[1]); st != http.StatusSeeOther {
		t.Fatalf("register through the proxy: status %d", st)
	}
	var csrf string
	for _, in := range instances {
		st, body := get(in.base, "/tasks")
		if st != http.StatusOK || !strings.Contains(body, "ann@example.com") {
			t.Fatalf("GET /tasks on %s: status %d; want Ann's list", in.base, st)
		}
		csrf = csrfMeta.FindStringSubmatch(body)[1]
	}

	// An event stream on C, a change through A.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/events", nil)
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events on C: %v %v", resp, err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitLine := func(prefix string) {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the stream on C ended before %q", prefix)
				}
				if strings.HasPrefix(l, prefix) {
					return
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("no %q on the stream on C", prefix)
			}
		}
	}
	waitLine("retry:")
	if st := post(a.base, "/tasks", url.Values{"title": {"Made through A"}}, csrf); st != http.StatusSeeOther {
		t.Fatalf("create through A: status %d", st)
	}
	waitLine("event: tasks")
	cancel()

	// No instance wrote a key file: the key is the database's.
	for _, in := range instances {
		if _, err := os.Stat(filepath.Join(in.dir, "data", "session.key")); err == nil {
			t.Errorf("%s wrote a session key file; the instances should share the database's", in.base)
		}
	}

	// Wrong passwords for Ann from another browser, through the proxy:
	// the account allows 5 failures (the default), whichever instances
	// they reach, and the sixth is refused although no instance has seen
	// more than two.
	guestJar, _ := cookiejar.New(nil)
	guest := &http.Client{Jar: guestJar, CheckRedirect: client.CheckRedirect}
	_, page = func() (int, string) {
		resp, err := guest.Get(proxy.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}()
	guestCSRF := csrfMeta.FindStringSubmatch(page)
	if guestCSRF == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	wrong := func() int {
		t.Helper()
		resp, err := guest.PostForm(proxy.URL+"/login", url.Values{"email": {"ann@example.com"},
			"password": {"not Ann's password"}, "_csrf": {guestCSRF[1]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 5 {
		if st := wrong(); st != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d: status %d, want 422", i+1, st)
		}
	}
	if st := wrong(); st != http.StatusTooManyRequests {
		t.Fatalf("sixth wrong password over three instances: status %d, want 429 (one shared limit)", st)
	}

	// Sign out through B: A and C no longer accept the session, even
	// from a client that kept the cookie (the browser drops it; a thief
	// would not).
	u, _ := url.Parse(a.base)
	kept := jar.Cookies(u)
	if st := post(b.base, "/logout", url.Values{}, csrf); st != http.StatusSeeOther {
		t.Fatalf("sign out through B: status %d", st)
	}
	noRedirect := &http.Client{CheckRedirect: client.CheckRedirect}
	for _, in := range []*instance{a, c} {
		req, _ := http.NewRequest(http.MethodGet, in.base+"/tasks", nil)
		for _, ck := range kept {
			req.AddCookie(ck)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
			t.Errorf("GET /tasks on %s with the cookie kept from before signing out through B: status %d, want a redirect to sign in",
				in.base, resp.StatusCode)
		}
	}
}
