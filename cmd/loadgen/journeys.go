package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	pageLen  int          // the largest full page, decoded
	pageWire int          // the same page as sent (zstd or gzip)
	buf      bytes.Buffer // the page's body as sent, reused
	raw      bytes.Buffer // and decoded
	pages    pageDecoder
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

// pageEncodings is what a current browser accepts; the server picks zstd.
// gzipOnly is a client without zstd.
var (
	pageEncodings = http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}
	gzipOnly      = http.Header{"Accept-Encoding": {"gzip"}}
)

func (w *worker) page(ctx context.Context) {
	start := time.Now()
	wire, resp, err := doInto(ctx, &w.buf, w.u.client, http.MethodGet, w.base+"/tasks", nil, pageEncodings, http.StatusOK)
	var body []byte
	if err == nil {
		body, err = w.pages.decode(&w.raw, resp.Header.Get("Content-Encoding"), wire)
	}
	if len(body) > w.pageLen {
		w.pageLen, w.pageWire = len(body), len(wire)
	}
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
