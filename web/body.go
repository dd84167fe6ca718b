package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Media types of form bodies.
const (
	mimeForm      = "application/x-www-form-urlencoded"
	mimeMultipart = "multipart/form-data"
)

// bodyRules decide, before routing and before anything reads a body, how
// much of it a request may send and in what form. They run in Echo's Pre
// chain because the method override has to read the body before the router
// picks a route, and the limit must already be in place when it does.
type bodyRules struct {
	// limit is BODY_LIMIT ("256K"), for every route but uploads.
	limit string
	// uploads are the routes that take a file, as "METHOD /path", each
	// with its own body limit in bytes. Only they accept
	// multipart/form-data. Their handlers stream the body with
	// Request.MultipartReader (see uploadParts), and verifyCSRF reads
	// the token from the X-CSRF-Token header or the first part, so that
	// no one parses a whole file into memory or onto disk.
	uploads map[string]int64
}

// middleware returns the Pre middleware: 415 for multipart bodies outside
// uploads, 413 past the limit, and the _method override.
func (b bodyRules) middleware() echo.MiddlewareFunc {
	limit := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   b.limit,
		Skipper: b.isUpload,
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		override := limit(overrideMethod(next))
		return func(c echo.Context) error {
			r := c.Request()
			max, upload := b.uploads[r.Method+" "+r.URL.Path]
			if mediaType(r) == mimeMultipart && !upload {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType, "multipart form refused")
			}
			if upload {
				// Not Echo's BodyLimit: its 413 comes before the handler,
				// which instead reads up to the limit and answers with a
				// page that says what the limit is.
				r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
			}
			return override(c)
		}
	}
}

func (b bodyRules) isUpload(c echo.Context) bool {
	r := c.Request()
	_, ok := b.uploads[r.Method+" "+r.URL.Path]
	return ok
}

// uploadToken reads the CSRF token of a multipart upload from its first
// part, which must be the _csrf field, and keeps the reader positioned at
// the next part for the handler (uploadParts). It reads at most a token's
// length, whatever the part holds.
func uploadToken(c echo.Context) string {
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return ""
	}
	c.Set(ctxUpload, mr)
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "_csrf" {
		return ""
	}
	token, err := io.ReadAll(io.LimitReader(part, maxTokenLen))
	if err != nil {
		return ""
	}
	return string(token)
}

// maxTokenLen is longer than any (masked) CSRF token a page shows.
const maxTokenLen = 256

// uploadParts is the multipart reader of an upload, after the parts that
// verifyCSRF read. A request that is not multipart is a 415.
func uploadParts(c echo.Context) (*multipart.Reader, error) {
	if mr, ok := c.Get(ctxUpload).(*multipart.Reader); ok {
		return mr, nil
	}
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "not a multipart form")
	}
	return mr, nil
}

// overrideMethod lets a plain HTML form, which can only GET or POST, ask
// for PUT, PATCH or DELETE with a _method field. The field is read only
// from an urlencoded POST body, never the query string, so a link or a
// cross-site URL cannot turn a request into a deletion. It parses the body
// here, under the limit; a body over it is a 413.
func overrideMethod(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost || mediaType(r) != mimeForm {
			return next(c)
		}
		if err := r.ParseForm(); err != nil {
			if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
				return echo.ErrStatusRequestEntityTooLarge
			}
			return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
		}
		switch m := r.PostForm.Get("_method"); m {
		case http.MethodPut, http.MethodPatch, http.MethodDelete:
			r.Method = m
		}
		return next(c)
	}
}

// mediaType is the request's Content-Type without parameters, or "".
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil {
		return ""
	}
	return mt
}
