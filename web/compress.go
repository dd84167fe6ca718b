package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/labstack/echo/v4"

	"taskapp/static"
)

// compressMinSize is the smallest body worth compressing: below about a
// kilobyte, the encoding's framing and the CPU cost more than the bytes
// they save (a 303, an htmx 204, a small status fragment).
const compressMinSize = 1024

// compressResponses compresses pages, htmx fragments and downloads with
// zstd or gzip, whichever the client prefers (zstd on a tie), and adds
// Vary: Accept-Encoding to every response it passes, so that caches keep
// the encodings apart.
//
// It is klauspost/compress's gzhttp rather than Echo's Gzip middleware:
// gzhttp parses Accept-Encoding with its q-values (Echo's only looks for
// "gzip" anywhere in the header, so "gzip;q=0" gets gzip), leaves alone a
// response that already has a Content-Encoding, skips content types that
// are compressed already, offers zstd, and its gzip is several times
// faster than compress/gzip, which is what this is meant to save.
//
// Static files are passed by: they carry their own gzip copy, made once
// at start (static.Assets), with an ETag of its own. Nothing here streams
// events; a text/event-stream would still be excluded by its type.
// Pages carry the CSRF token masked per response (maskToken): compressing
// a secret next to text a visitor chooses is otherwise a BREACH target.
func compressResponses() (echo.MiddlewareFunc, error) {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(compressMinSize),
		gzhttp.ExceptContentTypes([]string{"text/event-stream"}),
	)
	if err != nil {
		return nil, fmt.Errorf("web: compression: %w", err)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if strings.HasPrefix(c.Request().URL.Path, static.URLPrefix) {
				return next(c)
			}
			// The handler's error is turned into a response here, inside
			// the wrapper, so that error pages are compressed too and
			// nothing is written after the compressor has closed.
			res := c.Response()
			orig := res.Writer
			defer func() { res.Writer = orig }()
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				c.SetRequest(r)
				if err := next(c); err != nil {
					c.Error(err)
				}
			})).ServeHTTP(orig, c.Request())
			return nil
		}
	}, nil
}
