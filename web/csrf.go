package web

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"
)

// errCSRF is the 403 for a missing or wrong token.
var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")

// verifyCSRF requires the session's token on every unsafe request, from the
// X-CSRF-Token header (htmx) or the _csrf field of the body (plain forms),
// never the query string: URLs end up in logs, histories and Referer
// headers. A file upload without the header carries it as its first
// part. The token is tied to the session, which is renewed on sign-in and
// sign-out.
func verifyCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		want := sessionFrom(c).csrfToken()
		r := c.Request()
		got := r.Header.Get("X-CSRF-Token")
		switch {
		case got != "":
		case mediaType(r) == mimeMultipart:
			// Only uploads get here (bodyRules refuse other multipart
			// bodies); PostFormValue would parse the whole file.
			got = uploadToken(c)
		default:
			got = r.PostFormValue("_csrf")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}
