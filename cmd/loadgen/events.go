package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// runEvents is -mix events: it opens o.streams idle event streams spread
// over the signed-in users, each on a connection of its own, and reports
// the server's memory and CPU while they sit idle; then it measures, o.writes
// times, the time from sending a task create through one connection to the
// event arriving on another connection of the same user.
func runEvents(ctx context.Context, out io.Writer, srv *server, users []*vuser, o options) error {
	pid := srv.cmd.Process.Pid
	rssBefore := procStatusKB(pid, "VmRSS")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	start := time.Now()
	probe := make(chan time.Time, 16)
	for i := range o.streams {
		var events chan<- time.Time
		if i == 0 {
			events = probe // user 0's first stream measures latency
		}
		if err := openStream(ctx, srv.base, users[i%len(users)], i, events); err != nil {
			return fmt.Errorf("stream %d: %w", i, err)
		}
	}
	fmt.Fprintf(out, "opened %d event streams over %d users in %.1fs\n", o.streams, len(users), time.Since(start).Seconds())

	cpu0, _ := procCPU(pid)
	idle := 10 * time.Second
	time.Sleep(idle)
	cpu1, _ := procCPU(pid)
	fmt.Fprintf(out, "idle %d streams for %s: server CPU %.1f%% of one core; VmRSS %s before, %s with the streams; peak RSS (VmHWM) %s\n",
		o.streams, idle, 100*(cpu1-cpu0).Seconds()/idle.Seconds(),
		mib(rssBefore<<10), mib(procStatusKB(pid, "VmRSS")<<10), mib(procStatusKB(pid, "VmHWM")<<10))

	u := users[0]
	var ms []float64
	for i := range o.writes {
		form := url.Values{"title": {fmt.Sprintf("Live %d", i)}, "_csrf": {u.csrf}}
		sent := time.Now()
		hdr := http.Header{"Hx-Request": {"true"}, "X-Csrf-Token": {u.csrf}}
		if _, _, err := do(ctx, u.client, http.MethodPost, srv.base+"/tasks", form, hdr, http.StatusOK); err != nil {
			return fmt.Errorf("create %d: %w", i, err)
		}
		select {
		case got := <-probe:
			ms = append(ms, float64(got.Sub(sent).Microseconds())/1000)
		case <-time.After(10 * time.Second):
			return fmt.Errorf("write %d: no event within 10 s", i)
		}
		// Drain an event that coalesced late, so the next write starts clean.
		time.Sleep(20 * time.Millisecond)
		for len(probe) > 0 {
			<-probe
		}
	}
	slices.Sort(ms)
	s := samples{ms: ms}
	fmt.Fprintf(out, "write-to-event over %d writes (POST /tasks sent → event on another connection): p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
		len(ms), s.pct(0.50), s.pct(0.95), ms[len(ms)-1])
	return nil
}

// openStream opens GET /events as u on a connection of its own and reads
// it until ctx ends, sending each event's arrival time to events (if not
// nil). It returns once the greeting has arrived.
func openStream(ctx context.Context, base string, u *vuser, n int, events chan<- time.Time) error {
	dialer := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(10+n%200))}}
	c := &http.Client{Jar: u.client.Jar, Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("GET /events: status %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	if _, err := r.ReadString('\n'); err != nil {
		resp.Body.Close()
		return fmt.Errorf("GET /events: no greeting: %w", err)
	}
	go func() {
		defer resp.Body.Close()
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if events != nil && strings.HasPrefix(line, "event: tasks") {
				select {
				case events <- time.Now():
				default:
				}
			}
		}
	}()
	return nil
}
