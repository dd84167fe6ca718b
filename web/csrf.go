package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
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
// sign-out; pages carry it masked (see maskToken).
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
		if want == "" || !maskedTokenMatches(got, want) {
			return errCSRF
		}
		return next(c)
	}
}

// maskToken returns the session's token as a page may show it: a fresh
// random one-time pad followed by the token XOR the pad, base64url-encoded
// (as gorilla/csrf and Django do). Pages are compressed, and a secret
// that is the same in every response beside text an attacker chooses
// (a task title, a search) leaks through the compressed length (BREACH);
// masked, the bytes differ in every response while each still validates.
func maskToken(token string) string {
	secret, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(secret) == 0 {
		return ""
	}
	buf := make([]byte, 2*len(secret))
	pad, masked := buf[:len(secret)], buf[len(secret):]
	rand.Read(pad)
	subtle.XORBytes(masked, secret, pad)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// maskedTokenMatches reports whether got is a masked form (maskToken) of
// token. The token itself, unmasked, is refused: no page shows it.
func maskedTokenMatches(got, token string) bool {
	secret, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(secret) == 0 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(got)
	if err != nil || len(raw) != 2*len(secret) {
		return false
	}
	pad, masked := raw[:len(secret)], raw[len(secret):]
	subtle.XORBytes(masked, masked, pad)
	return subtle.ConstantTimeCompare(masked, secret) == 1
}
