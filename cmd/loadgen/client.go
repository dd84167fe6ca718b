package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
)

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
	// A 503 is the password-hash gate turning the sign-in away on a busy
	// machine: wait as it says and try again, as a person would.
	for try := 0; err != nil && resp != nil && resp.StatusCode == http.StatusServiceUnavailable && try < 20; try++ {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		select {
		case <-time.After(time.Duration(max(1, secs)) * time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
		_, resp, err = do(ctx, u.client, http.MethodPost, base+"/login", form, nil, http.StatusSeeOther)
	}
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

// pageDecoder decodes pages fetched with an explicit Accept-Encoding,
// which turns off the client's transparent gzip, reusing its decoders.
type pageDecoder struct {
	gz *gzip.Reader
	zd *zstd.Decoder
}

func (d *pageDecoder) decode(dst *bytes.Buffer, encoding string, wire []byte) ([]byte, error) {
	dst.Reset()
	var err error
	switch encoding {
	case "":
		return wire, nil
	case "gzip":
		if d.gz == nil {
			d.gz, err = gzip.NewReader(bytes.NewReader(wire))
		} else {
			err = d.gz.Reset(bytes.NewReader(wire))
		}
		if err == nil {
			_, err = dst.ReadFrom(d.gz)
		}
	case "zstd":
		if d.zd == nil {
			d.zd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		}
		if err == nil {
			var out []byte
			out, err = d.zd.DecodeAll(wire, dst.AvailableBuffer())
			dst.Write(out)
		}
	default:
		err = fmt.Errorf("Content-Encoding %q", encoding)
	}
	if err != nil {
		return nil, fmt.Errorf("GET /tasks: decoding %s: %w", encoding, err)
	}
	return dst.Bytes(), nil
}
