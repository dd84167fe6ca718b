package static

import (
	"bytes"
	"compress/gzip"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func newAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPathIsHashed(t *testing.T) {
	a := newAssets(t)
	tests := []struct {
		name string
		want string // pattern
	}{
		{AppCSS, `^/static/app\.[0-9a-f]{10}\.css$`},
		{AppJS, `^/static/app\.[0-9a-f]{10}\.js$`},
		{Favicon, `^/static/favicon\.[0-9a-f]{10}\.svg$`},
		{HTMX, `^/static/vendor/htmx-2\.0\.\d+\.min\.[0-9a-f]{10}\.js$`},
		{Pico, `^/static/vendor/pico-2\.1\.1\.min\.[0-9a-f]{10}\.css$`},
	}
	for _, tt := range tests {
		if got := a.Path(tt.name); !regexp.MustCompile(tt.want).MatchString(got) {
			t.Errorf("Path(%q) = %q, want match for %s", tt.name, got, tt.want)
		}
	}
}

// TestIconSizes: each PNG icon is the size its name (and the manifest)
// promises; browsers ignore an icon whose real size differs.
func TestIconSizes(t *testing.T) {
	for name, size := range map[string]int{Icon192: 192, Icon512: 512, AppleTouchIcon: 180} {
		f, err := files.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("%s: %dx%d (%v), want %dx%d", name, cfg.Width, cfg.Height, err, size, size)
		}
	}
}

func TestPathIsStable(t *testing.T) {
	a, b := newAssets(t), newAssets(t)
	if a.Path(AppCSS) != b.Path(AppCSS) {
		t.Errorf("two Assets disagree: %q vs %q", a.Path(AppCSS), b.Path(AppCSS))
	}
}

func TestPathPanicsForUnknownName(t *testing.T) {
	a := newAssets(t)
	for _, name := range []string{"nope.css", "", "/static/app.css", "static.go", "vendor/VENDOR.md"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Path(%q) did not panic", name)
				}
			}()
			a.Path(name)
		}()
	}
}

func TestHandlerServesHashedAssets(t *testing.T) {
	a := newAssets(t)
	h := a.Handler()
	tests := []struct {
		name  string
		ctype string
		start string // the body begins with this
	}{
		{AppCSS, "text/css; charset=utf-8", "/*"},
		{AppJS, "text/javascript; charset=utf-8", "//"},
		{Favicon, "image/svg+xml", "<svg"},
		{Icon, "image/svg+xml", "<svg"},
		{Icon192, "image/png", "\x89PNG"},
		{Icon512, "image/png", "\x89PNG"},
		{AppleTouchIcon, "image/png", "\x89PNG"},
		{HTMX, "text/javascript; charset=utf-8", "var htmx="},
		{Pico, "text/css; charset=utf-8", "@charset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := files.ReadFile(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			rec := get(t, h, http.MethodGet, a.Path(tt.name), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			res := rec.Result()
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := res.Header.Get("ETag"); !regexp.MustCompile(`^"[0-9a-f]{10}"$`).MatchString(got) {
				t.Errorf("ETag = %q", got)
			}
			if got := res.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding = %q without Accept-Encoding", got)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if !bytes.Equal(rec.Body.Bytes(), want) {
				t.Errorf("body differs from the embedded file (%d vs %d bytes)", rec.Body.Len(), len(want))
			}
			if !bytes.HasPrefix(want, []byte(tt.start)) {
				t.Errorf("embedded %s starts with %q, want %q", tt.name, want[:min(20, len(want))], tt.start)
			}
		})
	}
}

func TestHandlerHead(t *testing.T) {
	a := newAssets(t)
	rec := get(t, a.Handler(), http.MethodHead, a.Path(AppCSS), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("HEAD sent a body of %d bytes", rec.Body.Len())
	}
	if rec.Header().Get("Content-Length") == "" || rec.Header().Get("ETag") == "" {
		t.Errorf("HEAD headers missing: %v", rec.Header())
	}
}

func TestHandlerNotFound(t *testing.T) {
	a := newAssets(t)
	h := a.Handler()
	hashed := a.Path(AppCSS)
	stale := regexp.MustCompile(`\.[0-9a-f]{10}\.css$`).ReplaceAllString(hashed, ".0000000000.css")
	for _, target := range []string{
		"/static/app.css",          // unhashed
		stale,                      // another build's hash
		"/static/vendor/VENDOR.md", // not embedded
		"/static/static.go",        // not embedded
		"/static/",                 // directory
		"/static/../static/" + strings.TrimPrefix(hashed, "/static/"), // no path tricks
		strings.TrimPrefix(hashed, "/static"),                         // outside the prefix
	} {
		rec := get(t, h, http.MethodGet, target, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status = %d, want 404", target, rec.Code)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control = %q, want no-store", target, got)
		}
	}
}

func TestHandlerRejectsOtherMethods(t *testing.T) {
	a := newAssets(t)
	rec := get(t, a.Handler(), http.MethodPost, a.Path(AppCSS), nil)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status = %d, want 405", rec.Code)
	}
	if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("Allow = %q", got)
	}
}

func TestHandlerGzip(t *testing.T) {
	a := newAssets(t)
	h := a.Handler()
	for _, name := range []string{AppCSS, AppJS, HTMX, Pico} {
		t.Run(name, func(t *testing.T) {
			want, _ := files.ReadFile(name)
			rec := get(t, h, http.MethodGet, a.Path(name), http.Header{"Accept-Encoding": {"br, gzip, deflate"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			res := rec.Result()
			if got := res.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			identity := get(t, h, http.MethodGet, a.Path(name), nil).Header().Get("ETag")
			if got := res.Header.Get("ETag"); got == "" || got == identity {
				t.Errorf("gzip ETag = %q, must differ from identity ETag %q", got, identity)
			}
			if rec.Body.Len() >= len(want) {
				t.Errorf("gzip body is %d bytes, not smaller than %d", rec.Body.Len(), len(want))
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Error("gunzipped body differs from the embedded file")
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0, br", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"identity", false},
		{"br", false},
	}
	for _, tt := range tests {
		if got := acceptsGzip([]string{tt.header}); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestHandlerConditionalGet(t *testing.T) {
	a := newAssets(t)
	h := a.Handler()
	for _, enc := range []string{"", "gzip"} {
		first := get(t, h, http.MethodGet, a.Path(AppJS), http.Header{"Accept-Encoding": {enc}})
		etag := first.Header().Get("ETag")
		rec := get(t, h, http.MethodGet, a.Path(AppJS), http.Header{"Accept-Encoding": {enc}, "If-None-Match": {etag}})
		if rec.Code != http.StatusNotModified {
			t.Errorf("encoding %q: If-None-Match %s: status = %d, want 304", enc, etag, rec.Code)
		}
		if rec.Body.Len() != 0 || rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("encoding %q: 304 carried a body or Content-Encoding", enc)
		}
	}
}

// Every embedded file must be reachable through Path and Handler, and the
// embed pattern must not pick up files that have no business being served.
func TestEveryEmbeddedFileIsServed(t *testing.T) {
	a := newAssets(t)
	h := a.Handler()
	var names []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(a.byName) {
		t.Errorf("embedded %d files, Assets knows %d", len(names), len(a.byName))
	}
	for _, name := range names {
		if strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".md") || strings.Contains(name, "axe") {
			t.Errorf("%s is embedded but must not be", name)
		}
		rec := get(t, h, http.MethodGet, a.Path(name), nil)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s (%s): status %d, %d bytes", a.Path(name), name, rec.Code, rec.Body.Len())
		}
	}
	for _, name := range []string{HTMX, Pico, AppCSS, AppJS, Favicon, Icon, Icon192, Icon512, AppleTouchIcon} {
		if _, ok := a.byName[name]; !ok {
			t.Errorf("constant %q names no embedded file", name)
		}
	}
}
