package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// runMainEnv makes the test binary run taskapp's main instead of the
// tests, so that a test can start `taskapp serve` as a real process and
// signal it.
const runMainEnv = "TASKAPP_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startServeProcess starts `taskapp serve` (this test binary running
// main) on a free loopback port with env, and waits until /readyz answers.
func startServeProcess(t *testing.T, env environ) (cmd *exec.Cmd, base string, logs *strings.Builder) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd = exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "LISTEN_ADDR="+addr)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logs = &strings.Builder{}
	cmd.Stdout, cmd.Stderr = io.Discard, &lockedWriter{w: logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	base = "http://" + addr
	for range 400 { // until serve has migrated and listens
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, base, logs
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("serve never became ready:\n%s", logs)
	return nil, "", nil
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// pageToken GETs path with client and returns the page's CSRF token.
func pageToken(t *testing.T, client *http.Client, url string) string {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfMeta.FindSubmatch(body)
	if m == nil {
		t.Fatalf("GET %s: %d, no CSRF token", url, resp.StatusCode)
	}
	return string(m[1])
}

// SIGTERM while 64 clients create tasks as fast as they can: serve exits
// by itself, cleanly, and every task it acknowledged (answered with
// success) is in the database when it is opened again. Clients that open
// a connection and have not sent a request yet must not hold the exit
// (http.Server.Shutdown alone waits 5 s for them). The time to exit is
// logged, not asserted; docs/benchmarks.md has it.
func TestSIGTERMUnderWriteLoadKeepsAcknowledgedWrites(t *testing.T) {
	dbURL := dbtest.URL(t)
	store := openTestStore(t, dbURL)
	if _, err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	const email, password = "writer@example.com", "correct horse battery"
	hash, err := models.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	user, err := store.CreateUser(t.Context(), email, hash)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	cmd, base, logs := startServeProcess(t, environ{
		"DATABASE_URL":   dbURL,
		"SESSION_SECRET": strings.Repeat("s", 32),
	})
	jar, _ := cookiejar.New(nil)
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := pageToken(t, client, base+"/login")
	resp, err := client.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}, "_csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	token = pageToken(t, client, base+"/tasks")

	const writers = 64
	var (
		mu           sync.Mutex
		acknowledged = map[string]bool{}
		sent         atomic.Int64
		started      = make(chan struct{})
		startOnce    sync.Once
		wg           sync.WaitGroup
	)
	for w := range writers {
		wg.Go(func() {
			for n := 0; ; n++ {
				title := fmt.Sprintf("writer %d task %d", w, n)
				req, _ := http.NewRequest(http.MethodPost, base+"/tasks", strings.NewReader(url.Values{"title": {title}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
				req.Header.Set("X-CSRF-Token", token)
				resp, err := client.Do(req)
				if err != nil {
					return // the server is going or gone
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode >= 300 {
					return
				}
				mu.Lock()
				acknowledged[title] = true
				mu.Unlock()
				if sent.Add(1) == 4*writers {
					startOnce.Do(func() { close(started) })
				}
			}
		})
	}
	// Connections that have been accepted but carry no request yet: what
	// used to hold Shutdown for 5 s.
	for range 8 {
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	<-started

	sigterm := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var waitErr error
	select {
	case waitErr = <-exited:
	case <-time.After(time.Minute): // a hang, not a slow exit: the shutdown budget is 20 s
		t.Fatalf("serve did not exit after SIGTERM:\n%s", logs)
	}
	t.Logf("serve exited %v after SIGTERM, with %d writers running and %d tasks acknowledged", time.Since(sigterm).Round(time.Millisecond), writers, sent.Load())
	wg.Wait()
	if waitErr != nil {
		t.Fatalf("serve did not exit cleanly after SIGTERM: %v\n%s", waitErr, logs)
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("serve did not shut down gracefully:\n%s", logs)
	}

	// Open the database again, as the next start would.
	store = openTestStore(t, dbURL)
	saved := map[string]int{}
	for page := 1; ; page++ {
		p, err := store.ListTasks(t.Context(), user.ID, models.ListOptions{Page: page})
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range p.Tasks {
			saved[task.Title]++
		}
		if page >= p.Pages {
			break
		}
	}
	for title := range acknowledged {
		if saved[title] != 1 {
			t.Errorf("acknowledged %q is saved %d times", title, saved[title])
		}
	}
	t.Logf("%d tasks acknowledged, %d saved (a write cut off before its answer may be saved without being acknowledged)", len(acknowledged), len(saved))
}
