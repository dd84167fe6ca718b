package web

import (
	"errors"
	"mime"
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
	// uploads are the routes that take a file, as "METHOD /path". Only
	// they accept multipart/form-data; each must bound its own body (e.g.
	// middleware.BodyLimit on the route) and stream it with
	// Request.MultipartReader, and take the CSRF token from the
	// X-CSRF-Token header or a form field it reads first, since
	// verifyCSRF would parse the whole multipart form. None yet: the task
	// import (data-lifecycle issue) registers itself here.
	uploads map[string]bool
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
			if mediaType(c.Request()) == mimeMultipart && !b.isUpload(c) {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType, "multipart form refused")
			}
			return override(c)
		}
	}
}

func (b bodyRules) isUpload(c echo.Context) bool {
	r := c.Request()
	return b.uploads[r.Method+" "+r.URL.Path]
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
