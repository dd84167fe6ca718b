package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"taskapp/models"
)

// fetchEncoded gets path with b's cookies and the given Accept-Encoding
// ("" sends none), and returns the response with its body as sent on the
// wire and decoded.
func (b *browser) fetchEncoded(t *testing.T, path, acceptEncoding string, headers ...string) (resp *http.Response, wire, decoded []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.srv.URL+path, nil)
	setHeaders(req, headers)
	// Set by hand, the header turns off the client's own transparent gzip.
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	wire, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader
	switch enc := resp.Header.Get("Content-Encoding"); enc {
	case "":
		return resp, wire, wire
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("GET %s: gzip: %v", path, err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("GET %s: zstd: %v", path, err)
		}
		defer zr.Close()
		r = zr
	default:
		t.Fatalf("GET %s: Content-Encoding %q", path, enc)
	}
	decoded, err = io.ReadAll(r)
	if err != nil {
		t.Fatalf("GET %s: decoding %s: %v", path, resp.Header.Get("Content-Encoding"), err)
	}
	return resp, wire, decoded
}

func varies(resp *http.Response, header string) bool {
	for _, v := range resp.Header.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), header) {
				return true
			}
		}
	}
	return false
}

// Pages and htmx fragments go compressed in the encoding the browser
// asks for, smaller on the wire and the same page once decoded; a client
// that asks for none, or refuses gzip with q=0, gets plain HTML. Every
// answer says it varies by Accept-Encoding, so that no cache hands one
// client's encoding to another.
func TestPagesAndFragmentsAreCompressed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("zip@example.com")
	for i := range 30 {
		app.addTask(u.id, "Compressible task number "+itoa(int64(i)), "the same words again and again", models.StatusPending)
	}
	_, _, plain := u.fetchEncoded(t, "/tasks", "")
	if !bytes.Contains(plain, []byte("Compressible task number 29")) {
		t.Fatalf("the plain page lacks the tasks:\n%s", plain)
	}
	for _, tc := range []struct {
		name, accept, want string
		headers            []string
	}{
		{"page, gzip", "gzip, deflate", "gzip", nil},
		{"page, zstd and gzip", "gzip, deflate, br, zstd", "zstd", nil},
		{"page, gzip refused", "gzip;q=0, identity", "", nil},
		{"page, nothing asked", "", "", nil},
		{"htmx fragment, gzip", "gzip", "gzip", []string{"HX-Request: true"}},
	} {
		resp, wire, decoded := u.fetchEncoded(t, "/tasks", tc.accept, tc.headers...)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.name, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s: Content-Encoding %q, want %q", tc.name, got, tc.want)
		}
		if !varies(resp, "Accept-Encoding") {
			t.Errorf("%s: Vary %q lacks Accept-Encoding", tc.name, resp.Header.Values("Vary"))
		}
		if !bytes.Contains(decoded, []byte("Compressible task number 29")) {
			t.Errorf("%s: the decoded response lacks the tasks", tc.name)
		}
		if tc.want != "" && len(wire)*3 > len(decoded) {
			t.Errorf("%s: %d bytes on the wire for %d of HTML", tc.name, len(wire), len(decoded))
		}
	}
}

// Small answers are sent as they are: compressing a few hundred bytes
// costs more than it saves.
func TestSmallResponsesAreNotCompressed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.browser()
	resp, wire, _ := b.fetchEncoded(t, "/tasks", "gzip") // a 303 to the login page
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("redirect: status %d, Content-Encoding %q (%d bytes)", resp.StatusCode, resp.Header.Get("Content-Encoding"), len(wire))
	}
	if !varies(resp, "Accept-Encoding") {
		t.Errorf("redirect: Vary %q lacks Accept-Encoding", resp.Header.Values("Vary"))
	}
}

// Error pages pass through the same compression as pages: the handler's
// error becomes the page inside it.
func TestErrorPagesAreCompressed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("lost@example.com")
	resp, _, decoded := b.fetchEncoded(t, "/no/such/page", "gzip")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("404: status %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if !bytes.Contains(decoded, []byte("Not found")) || !bytes.Contains(decoded, []byte("lost@example.com")) {
		t.Errorf("decoded 404 page is not the error page for the signed-in user:\n%s", decoded)
	}
}

// Static files keep their own gzip copy and ETag: compressed once, not
// twice, and byte for byte the embedded file once decoded.
func TestStaticFilesAreCompressedOnce(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.browser()
	p := b.get("/login")
	href, ok := p.doc.Find(`link[rel="stylesheet"][href*="/app."]`).Attr("href")
	if !ok {
		t.Fatal("no app stylesheet on the login page")
	}
	resp, _, decoded := b.fetchEncoded(t, href, "gzip, zstd")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%s: Content-Encoding %q, want the file's own gzip", href, resp.Header.Get("Content-Encoding"))
	}
	want, err := os.ReadFile("../static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(decoded, want) {
		t.Errorf("%s decoded once is not app.css (%d bytes, want %d)", href, len(decoded), len(want))
	}
}
