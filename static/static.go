// Package static holds the browser assets (CSS, JavaScript, icons) embedded
// in the binary and serves them under content-hashed URLs.
//
// A hashed URL changes whenever the file's bytes change, so responses can be
// cached by browsers and proxies forever; templates must therefore build
// asset URLs with [Assets.Path] rather than writing them by hand.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Names of the embedded files the layout links to, for use with [Assets.Path].
const (
	HTMX    = "vendor/htmx-2.0.11.min.js"
	Pico    = "vendor/pico-2.1.1.min.css"
	AppCSS  = "app.css"
	AppJS   = "app.js"
	Favicon = "favicon.svg"

	// App icons for the web app manifest and home screens, drawn from
	// icons/icon.svg (`task icons` draws the PNGs again).
	Icon           = "icons/icon.svg"
	Icon192        = "icons/icon-192.png"
	Icon512        = "icons/icon-512.png"
	AppleTouchIcon = "icons/apple-touch-icon.png"
)

// URLPrefix is where [Assets.Handler] expects to be mounted.
const URLPrefix = "/static/"

// The vendored axe-core lives in web/e2e/testdata: it is for browser tests
// only and must not ship in the binary, so it is not listed here.
//
//go:embed app.css app.js favicon.svg icons vendor/*.js vendor/*.css
var files embed.FS

// hashLen is how many hex digits of the SHA-256 go into a file's URL. Ten
// digits (40 bits) is far more than a handful of files could ever collide on.
const hashLen = 10

// immutable is the Cache-Control of every hashed asset: the URL changes with
// the content, so a cached copy can never go stale.
const immutable = "public, max-age=31536000, immutable"

// Assets serves the embedded files under content-hashed names so browsers may cache them forever.
type Assets struct {
	byName map[string]*asset // "app.css" -> asset
	byPath map[string]*asset // "app.3f2a9c1b0d.css" (URL path without URLPrefix) -> asset
}

// asset is one embedded file, read, hashed and compressed once by New and
// never modified afterwards, so it is safe to share between requests.
type asset struct {
	url         string // full URL path, e.g. "/static/app.3f2a9c1b0d.css"
	contentType string
	body        []byte
	etag        string
	gzipBody    []byte // nil when gzip would not make the file smaller
	gzipETag    string
}

// New reads every embedded file, hashes it and prepares a gzip copy of the
// text files. It fails only if the embedded files are unusable (an
// extension without a known content type), which tests catch.
func New() (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byPath: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		ext := path.Ext(name)
		ctype, compress, ok := contentType(ext)
		if !ok {
			return fmt.Errorf("no content type for %q", name)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:hashLen]
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		f := &asset{
			url:         URLPrefix + hashed,
			contentType: ctype,
			body:        body,
			etag:        `"` + hash + `"`,
		}
		if compress {
			gz, err := gzipBytes(body)
			if err != nil {
				return fmt.Errorf("compress %q: %w", name, err)
			}
			if len(gz) < len(body) {
				f.gzipBody = gz
				f.gzipETag = `"` + hash + `-gzip"`
			}
		}
		a.byName[name] = f
		a.byPath[hashed] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return a, nil
}

// contentType gives the Content-Type for a file extension and whether the
// file is worth compressing. The table is explicit rather than
// mime.TypeByExtension because that consults the host's mime.types, which
// differs between machines (.js is sometimes application/javascript).
func contentType(ext string) (ctype string, compress, ok bool) {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8", true, true
	case ".js":
		return "text/javascript; charset=utf-8", true, true
	case ".svg":
		return "image/svg+xml", true, true
	case ".png":
		return "image/png", false, true
	}
	return "", false, false
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Path returns the URL path of the named embedded file, with its content
// hash before the extension: "app.css" -> "/static/app.3f2a9c1b0d.css".
// It panics if there is no such file: a wrong name is a programming error,
// and rendering a page with a broken link would hide it.
func (a *Assets) Path(name string) string {
	f, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("static: no embedded asset %q", name))
	}
	return f.url
}

// Handler serves GET and HEAD requests for the URLs returned by Path. It
// expects the full request path (mount it at URLPrefix without stripping
// the prefix). Any other path under the prefix, including the unhashed name
// or an outdated hash, is a 404 that must not be cached, so that a
// deployment which brings the file back is seen at once.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serve)
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, URLPrefix)
	f := a.byPath[name]
	if !ok || f == nil {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}

	h := w.Header()
	h.Set("Cache-Control", immutable)
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.body, f.etag
	if f.gzipBody != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, etag = f.gzipBody, f.gzipETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304, HEAD without a body and
	// Range requests; the zero modtime leaves Last-Modified out, since the
	// ETag already identifies the bytes.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip,
// honouring an explicit "gzip;q=0" and the "*" wildcard.
func acceptsGzip(headers []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, header := range headers {
		for part := range strings.SplitSeq(header, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				k, v, found := strings.Cut(strings.TrimSpace(param), "=")
				if found && strings.EqualFold(strings.TrimSpace(k), "q") {
					if parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = parsed
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
