package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

// Endpoints, as reported.
const (
	epPage   = "GET /tasks (full page)"
	epSearch = "GET /tasks?q= (htmx)"
	epCreate = "POST /tasks (htmx)"
	epStatus = "PATCH /tasks/:id status (htmx)"
	epEditGo = "GET /tasks/:id/edit (htmx)"
	epEdit   = "PUT /tasks/:id (htmx)"
	epDelete = "DELETE /tasks/:id (htmx)"
	epCounts = "GET /tasks/counts (htmx)"
)

var endpointOrder = []string{epPage, epSearch, epCreate, epStatus, epEditGo, epEdit, epDelete, epCounts}

// clientsPerAddress is how many users sign in from one loopback source
// address: under the default per-address sign-in burst (20).
const clientsPerAddress = 16

// newClient returns an HTTP client with its own cookie jar and one
// keep-alive connection, from loopback source address 127.0.0.(10+n).
func newClient(n int) *http.Client {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{
		Timeout:   5 * time.Second,
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+n%200))},
	}
	return &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     time.Minute,
		},
		// Redirects are part of what is checked, not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var (
	metaCSRF  = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)
	formCSRF  = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	rowID     = regexp.MustCompile(`<li class="task" id="task-(\d+)"`)
	errNoCSRF = errors.New("no CSRF token on the page")
)

// rowStart opens each task row; counting it is much cheaper than a
// regexp over a 170 KB page, and the load generator shares the CPU with
// the server.
var rowStart = []byte(`<li class="task" id="task-`)

func countRows(body []byte) int { return bytes.Count(body, rowStart) }

func csrfFrom(body []byte) (string, error) {
	if m := metaCSRF.FindSubmatch(body); m != nil {
		return string(m[1]), nil
	}
	if m := formCSRF.FindSubmatch(body); m != nil {
		return string(m[1]), nil
	}
	return "", errNoCSRF
}

// signIn signs every user in as a browser does: GET /login for the form's
// token, POST /login (303 to /tasks), then GET /tasks for the signed-in
// session's token, checking that the page lists a full page of tasks.
func signIn(ctx context.Context, base string, users []*vuser) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(users))
	sem := make(chan struct{}, 4) // password hashing is the work here
	for i, u := range users {
		u.client = newClient(i / clientsPerAddress)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := signInOne(ctx, base, u); err != nil {
				errc <- fmt.Errorf("%s: %w", u.email, err)
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}

func signInOne(ctx context.Context, base string, u *vuser) error {
	body, _, err := do(ctx, u.client, http.MethodGet, base+"/login", nil, nil, http.StatusOK)
	if err != nil {
		return err
	}
	token, err := csrfFrom(body)
	if err != nil {
		return fmt.Errorf("GET /login: %w", err)
	}
	form := url.Values{"email": {u.email}, "password": {"password123"}, "_csrf": {token}}
	_, resp, err := do(ctx, u.client, http.MethodPost, base+"/login", form, nil, http.StatusSeeOther)
	if err != nil {
		return err
	}
	if loc := resp.Header.Get("Location"); loc != "/tasks" {
		return fmt.Errorf("POST /login redirected to %q, want /tasks", loc)
	}
	body, _, err = do(ctx, u.client, http.MethodGet, base+"/tasks", nil, nil, http.StatusOK)
	if err != nil {
		return err
	}
	if u.csrf, err = csrfFrom(body); err != nil {
		return fmt.Errorf("GET /tasks: %w", err)
	}
	if n := countRows(body); n != min(100, len(u.tasks)) {
		return fmt.Errorf("GET /tasks shows %d tasks, want %d", n, min(100, len(u.tasks)))
	}
	return nil
}

// do sends one request and checks its status. form, if set, is the body.
func do(ctx context.Context, c *http.Client, method, target string, form url.Values, hdr http.Header, want int) ([]byte, *http.Response, error) {
	return doInto(ctx, nil, c, method, target, form, hdr, want)
}

// doInto is do reading the body into buf, reused from call to call, when
// buf is not nil.
func doInto(ctx context.Context, buf *bytes.Buffer, c *http.Client, method, target string, form url.Values, hdr http.Header, want int) ([]byte, *http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var b []byte
	if buf != nil {
		buf.Reset()
		_, err = buf.ReadFrom(resp.Body)
		b = buf.Bytes()
	} else {
		b, err = io.ReadAll(resp.Body)
	}
	if err != nil {
		return nil, resp, err
	}
	if resp.StatusCode != want {
		return b, resp, fmt.Errorf("%s %s: status %d, want %d", method, req.URL.Path, resp.StatusCode, want)
	}
	return b, resp, nil
}

// samples holds one endpoint's latencies (ms) and errors.
type samples struct {
	ms       []float64
	errs     int
	firstErr error
}

func (s *samples) pct(p float64) float64 {
	if len(s.ms) == 0 {
		return 0
	}
	i := int(float64(len(s.ms))*p+0.5) - 1
	return s.ms[min(max(i, 0), len(s.ms)-1)]
}

// worker is one client's closed loop.
type worker struct {
	u        *vuser
	base     string
	rng      *rand.Rand
	mix      string
	measure  bool // false during warm-up
	results  map[string]*samples
	warmErrs map[string]*samples
	n        int
	pageLen  int
	buf      bytes.Buffer // the page's body, reused
}

func (w *worker) record(ep string, start time.Time, err error) {
	if errors.Is(err, context.Canceled) {
		return // cut short by the end of the level: neither a sample nor an error
	}
	d := float64(time.Since(start)) / float64(time.Millisecond)
	m := w.results
	if !w.measure {
		m = w.warmErrs
	}
	s := m[ep]
	if s == nil {
		s = &samples{}
		m[ep] = s
	}
	if w.measure {
		s.ms = append(s.ms, d)
	}
	if err != nil {
		s.errs++
		if s.firstErr == nil {
			s.firstErr = err
		}
	}
}

func (w *worker) htmx() http.Header {
	return http.Header{
		"Hx-Request":     {"true"},
		"Hx-Current-Url": {w.base + "/tasks"},
		"X-Csrf-Token":   {w.u.csrf},
	}
}

var searchTerms = []string{"groceries", "report", "bill", "plumber", "details", "nothing matches this"}

// step runs one journey, picked by weight.
func (w *worker) step(ctx context.Context) {
	w.n++
	if w.mix == "page" {
		w.page(ctx)
		return
	}
	switch r := w.rng.IntN(100); {
	case r < 25:
		w.page(ctx)
	case r < 40:
		w.search(ctx)
	case r < 55:
		w.create(ctx)
	case r < 70:
		w.status(ctx)
	case r < 85:
		w.edit(ctx)
	default:
		if len(w.u.created) == 0 {
			w.create(ctx) // keep every list at 100 tasks or more
			return
		}
		w.delete(ctx)
	}
}

func (w *worker) page(ctx context.Context) {
	start := time.Now()
	body, _, err := doInto(ctx, &w.buf, w.u.client, http.MethodGet, w.base+"/tasks", nil, nil, http.StatusOK)
	w.pageLen = max(w.pageLen, len(body))
	if err == nil {
		if n := countRows(body); n != 100 {
			err = fmt.Errorf("GET /tasks shows %d tasks, want 100", n)
		}
	}
	w.record(epPage, start, err)
}

func (w *worker) search(ctx context.Context) {
	q := searchTerms[w.rng.IntN(len(searchTerms))]
	start := time.Now()
	_, _, err := do(ctx, w.u.client, http.MethodGet, w.base+"/tasks?q="+url.QueryEscape(q), nil, w.htmx(), http.StatusOK)
	w.record(epSearch, start, err)
}

func (w *worker) create(ctx context.Context) {
	form := url.Values{
		"title":       {fmt.Sprintf("New task %d from the load test", w.n)},
		"description": {"Added under load."},
		"status":      {"pending"},
		"_csrf":       {w.u.csrf},
	}
	start := time.Now()
	body, _, err := do(ctx, w.u.client, http.MethodPost, w.base+"/tasks", form, w.htmx(), http.StatusOK)
	if err == nil {
		m := rowID.FindSubmatch(body)
		if m == nil {
			err = errors.New("POST /tasks: no new row in the fragment")
		} else {
			id, _ := strconv.ParseInt(string(m[1]), 10, 64)
			w.u.tasks = append(w.u.tasks, id)
			w.u.created = append(w.u.created, id)
		}
	}
	w.record(epCreate, start, err)
}

func (w *worker) pick() int64 { return w.u.tasks[w.rng.IntN(len(w.u.tasks))] }

func (w *worker) status(ctx context.Context) {
	id := w.pick()
	form := url.Values{
		"_csrf":   {w.u.csrf},
		"_method": {"PATCH"},
		"back":    {"/tasks"},
		"status":  {[]string{"pending", "in_progress", "completed"}[w.rng.IntN(3)]},
	}
	start := time.Now()
	_, _, err := do(ctx, w.u.client, http.MethodPatch, w.base+"/tasks/"+strconv.FormatInt(id, 10), form, w.htmx(), http.StatusOK)
	w.record(epStatus, start, err)
}

func (w *worker) edit(ctx context.Context) {
	id := w.pick()
	u := w.base + "/tasks/" + strconv.FormatInt(id, 10)
	start := time.Now()
	_, _, err := do(ctx, w.u.client, http.MethodGet, u+"/edit", nil, w.htmx(), http.StatusOK)
	w.record(epEditGo, start, err)
	if err != nil {
		return
	}
	form := url.Values{
		"_csrf":       {w.u.csrf},
		"_method":     {"PUT"},
		"back":        {"/tasks"},
		"title":       {fmt.Sprintf("Edited under load %d", w.n)},
		"description": {"Edited by loadgen."},
		"status":      {"in_progress"},
	}
	start = time.Now()
	_, _, err = do(ctx, w.u.client, http.MethodPut, u, form, w.htmx(), http.StatusOK)
	w.record(epEdit, start, err)
}

// delete removes a task this client created, then fetches the counts as
// the tabs do on the tasks-changed event the response triggers.
func (w *worker) delete(ctx context.Context) {
	id := w.u.created[len(w.u.created)-1]
	w.u.created = w.u.created[:len(w.u.created)-1]
	if i := slices.Index(w.u.tasks, id); i >= 0 {
		w.u.tasks = slices.Delete(w.u.tasks, i, i+1)
	}
	start := time.Now()
	_, resp, err := do(ctx, w.u.client, http.MethodDelete, w.base+"/tasks/"+strconv.FormatInt(id, 10), nil, w.htmx(), http.StatusOK)
	if err == nil && resp.Header.Get("HX-Trigger") != "tasks-changed" {
		err = fmt.Errorf("DELETE: HX-Trigger %q, want tasks-changed", resp.Header.Get("HX-Trigger"))
	}
	w.record(epDelete, start, err)
	if err != nil {
		return
	}
	start = time.Now()
	_, _, err = do(ctx, w.u.client, http.MethodGet, w.base+"/tasks/counts", nil, w.htmx(), http.StatusOK)
	w.record(epCounts, start, err)
}

// levelResult is one concurrency level's figures.
type levelResult struct {
	c          int
	measured   time.Duration
	endpoints  map[string]*samples
	warmErrors int
	warmFirst  error
	pageBytes  int   // size of the last full /tasks page
	peakRSS    int64 // bytes, VmHWM over the level
	serverCPU  time.Duration
	dbCPU      time.Duration // PostgreSQL backends; 0 on SQLite
	clientCPU  time.Duration
	profiles   []string
}

func (r *levelResult) total() int {
	n := 0
	for _, s := range r.endpoints {
		n += len(s.ms)
	}
	return n
}

func (r *levelResult) errors() int {
	n := r.warmErrors
	for _, s := range r.endpoints {
		n += s.errs
	}
	return n
}

// runLevel runs c clients for warm-up plus duration and gathers their
// figures, and the server's peak RSS and CPU over the level.
func runLevel(ctx context.Context, srv *server, users []*vuser, c int, o options, profileDir string) (*levelResult, error) {
	pid := srv.cmd.Process.Pid
	workers := make([]*worker, c)
	for i := range workers {
		workers[i] = &worker{u: users[i], base: srv.base, rng: rand.New(rand.NewPCG(uint64(c), uint64(i))), mix: o.mix,
			results: map[string]*samples{}, warmErrs: map[string]*samples{}}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	startMeasure := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-startMeasure:
					w.measure = true
				default:
				}
				w.step(ctx)
			}
		})
	}
	time.Sleep(o.warmup)
	// The peak RSS is the level's own: the kernel resets VmHWM on "5".
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	cpu0, _ := procCPU(pid)
	db0 := dbBackendsCPU(srv.pgDB)
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	close(startMeasure)

	res := &levelResult{c: c, endpoints: map[string]*samples{}}
	var profErr error
	if o.profileDir != "" && c == o.profileAt {
		res.profiles, profErr = captureProfiles(srv.pprof, profileDir, c, o.duration)
	} else {
		select {
		case <-time.After(o.duration):
		case <-ctx.Done():
		}
	}
	cancel()
	wg.Wait()
	res.measured = time.Since(t0)
	cpu1, _ := procCPU(pid)
	res.serverCPU = cpu1 - cpu0
	// Backends that exited during the level are missed; the pool keeps
	// its connections, so there are none in practice.
	res.dbCPU = dbBackendsCPU(srv.pgDB) - db0
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	res.clientCPU = time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) * time.Nanosecond
	res.peakRSS = procStatusKB(pid, "VmHWM") * 1024

	for _, w := range workers {
		res.pageBytes = max(res.pageBytes, w.pageLen)
		for ep, s := range w.results {
			agg := res.endpoints[ep]
			if agg == nil {
				agg = &samples{}
				res.endpoints[ep] = agg
			}
			agg.ms = append(agg.ms, s.ms...)
			agg.errs += s.errs
			if agg.firstErr == nil {
				agg.firstErr = s.firstErr
			}
		}
		for _, s := range w.warmErrs {
			res.warmErrors += s.errs
			if res.warmFirst == nil {
				res.warmFirst = s.firstErr
			}
		}
	}
	for _, s := range res.endpoints {
		slices.Sort(s.ms)
	}
	return res, profErr
}

func (r *levelResult) print(w io.Writer, dialect string, o options) {
	secs := r.measured.Seconds()
	perReq := func(d time.Duration) float64 {
		return float64(d) / float64(time.Millisecond) / float64(max(1, r.total()))
	}
	fmt.Fprintf(w, "\n%s, concurrency %d: %.1fs measured after %s warm-up; %d requests, %.0f req/s, %d errors; server peak RSS %s; page %d bytes\n",
		dialect, r.c, secs, o.warmup, r.total(), float64(r.total())/secs, r.errors(), mib(r.peakRSS), r.pageBytes)
	fmt.Fprintf(w, "CPU: server %.2f cores (%.2f ms per request), PostgreSQL backends %.2f cores (%.2f ms), loadgen %.2f cores (%.2f ms); machine load average %s\n",
		r.serverCPU.Seconds()/secs, perReq(r.serverCPU), r.dbCPU.Seconds()/secs, perReq(r.dbCPU),
		r.clientCPU.Seconds()/secs, perReq(r.clientCPU), loadAvg())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "endpoint\trequests\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
	for _, ep := range endpointOrder {
		s, ok := r.endpoints[ep]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", ep, len(s.ms), float64(len(s.ms))/secs,
			s.pct(0.50), s.pct(0.95), s.pct(0.99), s.pct(1), s.errs)
	}
	tw.Flush()
	for _, ep := range endpointOrder {
		if s, ok := r.endpoints[ep]; ok && s.errs > 0 {
			fmt.Fprintf(w, "!!! %s: %d ERRORS; first: %v\n", ep, s.errs, s.firstErr)
		}
	}
	if r.warmErrors > 0 {
		fmt.Fprintf(w, "!!! %d ERRORS during the warm-up; first: %v\n", r.warmErrors, r.warmFirst)
	}
	for _, p := range r.profiles {
		fmt.Fprintf(w, "profile: %s\n", p)
	}
}

// captureProfiles takes a CPU profile of the server over d, then a heap
// profile (whose alloc_space/alloc_objects views show allocation since
// start), from the server's pprof listener.
func captureProfiles(pprofAddr, dir string, c int, d time.Duration) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	get := func(path, file string, timeout time.Duration) (string, error) {
		client := &http.Client{Timeout: timeout}
		resp, err := client.Get("http://" + pprofAddr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("pprof %s: status %d", path, resp.StatusCode)
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, resp.Body); err != nil {
			return "", err
		}
		p := filepath.Join(dir, file)
		return p, os.WriteFile(p, buf.Bytes(), 0o644)
	}
	secs := max(1, int(d.Seconds()))
	cpu, err := get("/debug/pprof/profile?seconds="+strconv.Itoa(secs), fmt.Sprintf("cpu-c%d.pprof", c), d+30*time.Second)
	if err != nil {
		return nil, fmt.Errorf("CPU profile (is PPROF_ADDR wired into taskapp serve?): %w", err)
	}
	heap, err := get("/debug/pprof/allocs", fmt.Sprintf("allocs-c%d.pprof", c), 30*time.Second)
	if err != nil {
		return []string{cpu}, err
	}
	return []string{cpu, heap}, nil
}

// procCPU is the process's user+system CPU time.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may
	// hold spaces: utime and stime are fields 14 and 15.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ
	return time.Duration(ut+st) * time.Second / ticks, nil
}

// dbBackendsCPU is the CPU time of the PostgreSQL backends serving
// database db (their process titles name it), so that the database's
// share of each request can be told apart from the app's. 0 for SQLite,
// whose work is inside the server process.
func dbBackendsCPU(db string) time.Duration {
	if db == "" {
		return 0
	}
	entries, _ := os.ReadDir("/proc")
	var total time.Duration
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil || !bytes.HasPrefix(cmd, []byte("postgres: ")) || !bytes.Contains(cmd, []byte(" "+db+" ")) {
			continue
		}
		if d, err := procCPU(pid); err == nil {
			total += d
		}
	}
	return total
}

// procStatusKB reads a kB field of /proc/<pid>/status, such as VmHWM.
func procStatusKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
