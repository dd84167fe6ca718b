package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
	"taskapp/static"
)

// BenchmarkTasksPage is the server's side of one /tasks page of 100 rows
// for a signed-in user with 150 tasks, on SQLite or (with
// TEST_DATABASE_URL) PostgreSQL (BENCH_DUMP_DIR keeps the HTML): the whole middleware chain, the session
// and user load, the queries and the rendering, without the network.
// ns/op is the time of one request at a time, cpu-ns/op the process's
// CPU per request (GC included); bytes/page is the HTML sent. "page" is the full page, "fragment" the list region htmx
// asks for when a tab or page link is followed.
func BenchmarkTasksPage(b *testing.B) {
	e, cookies := benchApp(b, 150)
	for _, bc := range []struct {
		name    string
		path    string
		headers []string
	}{
		{"page", "/tasks", nil},
		{"fragment", "/tasks?status=", []string{"HX-Request: true"}},
		{"fragment-pending", "/tasks?status=pending", []string{"HX-Request: true"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			setHeaders(req, bc.headers)
			var size int
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				rec := &discardRecorder{header: http.Header{}}
				e.ServeHTTP(rec, req.Clone(req.Context()))
				if rec.status != http.StatusOK {
					b.Fatalf("GET %s = %d", bc.path, rec.status)
				}
				size = rec.n
			}
			if dir := os.Getenv("BENCH_DUMP_DIR"); dir != "" {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req.Clone(req.Context()))
				if err := os.WriteFile(filepath.Join(dir, bc.name+".html"), rec.Body.Bytes(), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/page")
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the CPU time (user and system) this process has used:
// with PostgreSQL, the app's share of a page without the database's; with
// SQLite, the database's work too, which runs in the process.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// discardRecorder is a ResponseWriter that counts the body and keeps
// nothing, so that the benchmark measures the server rather than a
// recorder's buffer.
type discardRecorder struct {
	header http.Header
	status int
	n      int
}

func (r *discardRecorder) Header() http.Header { return r.header }
func (r *discardRecorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *discardRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.n += len(p)
	return len(p), nil
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// benchApp is the real router on a fresh database with one registered,
// signed-in user holding n tasks, and that user's cookies.
func benchApp(b *testing.B, n int) (*echo.Echo, []*http.Cookie) {
	b.Helper()
	store := dbtest.New(b)
	assets, err := static.New()
	if err != nil {
		b.Fatal(err)
	}
	keys, err := SessionKeys(strings.Repeat("k", 32), "")
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(Config{SessionKeys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, assets)
	if err != nil {
		b.Fatal(err)
	}
	jar := map[string]*http.Cookie{}
	do := func(req *http.Request) *httptest.ResponseRecorder {
		for _, c := range jar {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			jar[c.Name] = c
		}
		return rec
	}
	rec := do(httptest.NewRequest(http.MethodGet, "/register", nil))
	m := csrfMeta.FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.Fatal("no CSRF token on /register")
	}
	email := "bench@example.com"
	form := url.Values{"email": {email}, "password": {"correct horse battery"}, "password_confirm": {"correct horse battery"}, "_csrf": {m[1]}}
	req := httptest.NewRequest(http.MethodPost, "/register", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if rec := do(req); rec.Code != http.StatusSeeOther {
		b.Fatalf("register: %d\n%s", rec.Code, rec.Body)
	}
	u, err := store.UserByEmail(b.Context(), email)
	if err != nil {
		b.Fatal(err)
	}
	// The tasks cmd/loadgen seeds, so that the figures compare with its
	// runs, and a due date on every fifth.
	for j := range n {
		in := models.TaskInput{
			Title:  fmt.Sprintf("%s #%d", bulkload.Title(j), j+1),
			Status: models.TaskStatuses()[j%3],
		}
		if j%2 == 0 {
			in.Description = "Details to remember for task " + strconv.Itoa(j+1) + "."
		}
		if j%5 == 0 {
			in.DueDate = fmt.Sprintf("2030-01-%02d", 1+j%28)
		}
		if _, err := store.CreateTask(b.Context(), u.ID, in); err != nil {
			b.Fatal(err)
		}
	}
	cookies := make([]*http.Cookie, 0, len(jar))
	for _, c := range jar {
		cookies = append(cookies, c)
	}
	return e, cookies
}
