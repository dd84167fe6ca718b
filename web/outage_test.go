package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// outageApp is the real router on a private PostgreSQL cluster that the
// test may stop and restart, with sessions for writers users.
func outageApp(t *testing.T, wait time.Duration, writers int) (*testApp, *dbtest.Cluster, []*browser) {
	t.Helper()
	c := dbtest.StartCluster(t)
	store, err := models.Open(context.Background(), models.Config{URL: c.URL(), WaitBudget: wait, PoolSize: writers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	app := newTestAppOn(t, store)
	bs := make([]*browser, writers)
	for i := range bs {
		bs[i] = app.signedIn(fmt.Sprintf("writer%d@example.com", i))
		bs[i].get("/tasks") // for the CSRF token
	}
	return app, c, bs
}

// createTask posts the new-task form from a writer goroutine (no t.Fatal
// there) and returns the status and Retry-After.
func (b *browser) createTask(title string) (int, string, error) {
	form := url.Values{"title": {title}, "_csrf": {b.csrf}}
	req, _ := http.NewRequest(http.MethodPost, b.app.srv.URL+"/tasks", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}

// TestPostgresRestartUnderWritersIsInvisible restarts PostgreSQL, as an
// operator would, while eight people keep adding tasks: every request
// succeeds, and the database holds each acknowledged task exactly once.
func TestPostgresRestartUnderWritersIsInvisible(t *testing.T) {
	const writers = 8
	app, cluster, bs := outageApp(t, models.DefaultWaitBudget, writers)

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		acked    = map[string]int{} // title -> writer
		failures []string           // requests that began once PostgreSQL was down
		cut      = make([]int, writers)
		down     atomic.Bool
		stop     = make(chan struct{})
		restart  = make(chan struct{})
	)
	after := make([]int, writers) // successes since the restart, per writer
	for w, b := range bs {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				restarted := false
				select {
				case <-restart:
					restarted = true
				default:
				}
				title := fmt.Sprintf("w%d-%d", w, i)
				foundDown := down.Load()
				status, retryAfter, err := b.createTask(title)
				mu.Lock()
				switch {
				case err != nil:
					failures = append(failures, title+": "+err.Error())
				case status == http.StatusServiceUnavailable && retryAfter != "" && !foundDown:
					// Its INSERT was running when PostgreSQL stopped: it
					// may have committed, so it is not retried (see
					// models.waitingPool).
					cut[w]++
				case status != http.StatusSeeOther:
					failures = append(failures, fmt.Sprintf("%s: status %d", title, status))
				default:
					acked[title] = w
					if restarted {
						after[w]++
					}
				}
				mu.Unlock()
			}
		})
	}
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) >= 8*writers })
	cluster.Stop(t)
	down.Store(true)
	time.Sleep(1500 * time.Millisecond) // the outage: well inside the wait budget
	cluster.Start(t)
	close(restart)
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, n := range after {
			if n < 5 {
				return false
			}
		}
		return true
	})
	close(stop)
	wg.Wait()

	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed during a restart shorter than the wait budget, e.g. %v",
			len(failures), len(failures)+len(acked), failures[:min(5, len(failures))])
	}
	for w, n := range cut {
		// Each writer has one request in flight: only that one can have
		// been cut by the stop.
		if n > 1 {
			t.Errorf("writer %d: %d requests cut by the stop, want at most the one in flight", w, n)
		}
	}
	t.Logf("%d tasks acknowledged, %d requests cut mid-statement by the stop", len(acked), sum(cut))
	stored := map[string]int{}
	for w := range bs {
		u, err := app.store.UserByEmail(app.ctx(), fmt.Sprintf("writer%d@example.com", w))
		if err != nil {
			t.Fatal(err)
		}
		p, err := app.store.ListTasks(app.ctx(), u.ID, models.ListOptions{PerPage: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range p.Tasks {
			stored[task.Title]++
		}
	}
	for title := range acked {
		if stored[title] != 1 {
			t.Errorf("acknowledged task %q is stored %d times", title, stored[title])
		}
	}
	for title, n := range stored {
		if n > 1 {
			t.Errorf("task %q is stored %d times", title, n)
		}
	}
}

// TestPostgresLongOutageAnswers503 stops PostgreSQL for longer than the
// wait budget: requests end with a clean 503 and Retry-After, readiness
// says 503, and both recover when the database is back.
func TestPostgresLongOutageAnswers503(t *testing.T) {
	app, cluster, bs := outageApp(t, 300*time.Millisecond, 1)
	b := bs[0]
	cluster.Stop(t)

	if _, err := app.store.CreateTask(app.ctx(), 1, models.TaskInput{Title: "during the outage"}); !errors.Is(err, models.ErrUnavailable) {
		t.Errorf("store: CreateTask during an outage: %v, want ErrUnavailable", err)
	}
	status, retryAfter, err := b.createTask("during the outage")
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusServiceUnavailable || retryAfter == "" {
		t.Errorf("POST /tasks during an outage: status %d, Retry-After %q; want 503 with Retry-After", status, retryAfter)
	}
	if p := b.get("/tasks"); p.StatusCode != http.StatusServiceUnavailable || !strings.Contains(p.body, "Temporarily unavailable") {
		t.Errorf("GET /tasks during an outage: status %d; want the 503 page", p.StatusCode)
	}
	if p := b.get("/readyz"); p.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during an outage: %d, want 503", p.StatusCode)
	}

	cluster.Start(t)
	if p := b.get("/readyz"); p.StatusCode != http.StatusOK {
		t.Errorf("/readyz after the outage: %d, want 200", p.StatusCode)
	}
	if status, _, _ := b.createTask("after the outage"); status != http.StatusSeeOther {
		t.Errorf("POST /tasks after the outage: %d, want 303", status)
	}
}

func sum(ns []int) (total int) {
	for _, n := range ns {
		total += n
	}
	return total
}

// waitFor polls cond until it holds; the test's own deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		time.Sleep(20 * time.Millisecond)
	}
}
