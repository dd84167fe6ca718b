package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
)

// signInBurst signs n users in at the same moment, each from a fresh
// cookie jar (GET /login, then every POST /login released together), and
// returns the server's peak RSS (VmHWM) over the burst and how many were
// refused with 503 because the password-hash gate stayed full. argon2id
// takes 19 MiB per hash; the gate bounds how many run at once.
func signInBurst(ctx context.Context, srv *server, users []*vuser) (peak int64, ok, busy int, err error) {
	pid := srv.cmd.Process.Pid
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	type attempt struct {
		client *http.Client
		form   url.Values
	}
	attempts := make([]attempt, len(users))
	for i, u := range users {
		c := newClient(i / clientsPerAddress)
		body, _, err := do(ctx, c, http.MethodGet, srv.base+"/login", nil, nil, http.StatusOK)
		if err != nil {
			return 0, 0, 0, err
		}
		token, err := csrfFrom(body)
		if err != nil {
			return 0, 0, 0, err
		}
		attempts[i] = attempt{c, url.Values{"email": {u.email}, "password": {"password123"}, "_csrf": {token}}}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		start = make(chan struct{})
	)
	for _, a := range attempts {
		wg.Go(func() {
			<-start
			_, resp, err := do(ctx, a.client, http.MethodPost, srv.base+"/login", a.form, nil, http.StatusSeeOther)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case resp != nil && resp.StatusCode == http.StatusServiceUnavailable:
				busy++
			default:
				errs = append(errs, err)
			}
		})
	}
	close(start)
	wg.Wait()
	for _, a := range attempts {
		a.client.CloseIdleConnections()
	}
	return procStatusKB(pid, "VmHWM") * 1024, ok, busy, errors.Join(errs...)
}
