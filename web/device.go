package web

import (
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// deviceCookie is the cookie that marks a browser which has signed in to
// an account before (OWASP's "device cookie" against lockout attacks).
// Such a browser signs in with an allowance of its own, so guesses from
// everywhere else cannot lock the owner out.
const deviceCookie = "taskapp_device"

// deviceMaxAge is how long a device stays known after its last sign-in.
const deviceMaxAge = 365 * 24 * time.Hour

// device is what the cookie holds: the account (its normalized email) and
// a random id that names this browser's allowance.
type device struct {
	Email string
	Nonce string
}

// deviceCookies issues and reads device cookies. They are signed and
// encrypted with the session keys, so they rotate with SESSION_SECRET.
type deviceCookies struct {
	codecs  []securecookie.Codec
	secure  string // SECURE_COOKIES: auto, true or false
	proxies trustedProxies
}

func newDeviceCookies(cfg Config, proxies trustedProxies) *deviceCookies {
	codecs := securecookie.CodecsFromPairs(cfg.SessionKeys...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(int(deviceMaxAge.Seconds()))
		}
	}
	return &deviceCookies{codecs: codecs, secure: cfg.SecureCookies, proxies: proxies}
}

// nonce is the id of this browser's allowance for email, or "" when the
// request carries no valid device cookie for that account.
func (d *deviceCookies) nonce(c echo.Context, email string) string {
	ck, err := c.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	var v device
	if err := securecookie.DecodeMulti(deviceCookie, ck.Value, &v, d.codecs...); err != nil {
		return ""
	}
	if v.Email != email || v.Nonce == "" {
		return ""
	}
	return v.Nonce
}

// issue marks the browser as known for email after a successful sign-in.
// A browser remembers one account: the last one it signed in to.
func (d *deviceCookies) issue(c echo.Context, email string) error {
	value, err := securecookie.EncodeMulti(deviceCookie, device{Email: email, Nonce: newToken()}, d.codecs...)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{
		Name:     deviceCookie,
		Value:    value,
		Path:     views.PathLogin, // only the sign-in form needs it
		MaxAge:   int(deviceMaxAge.Seconds()),
		HttpOnly: true,
		Secure:   d.proxies.secureCookies(d.secure, c.Request()),
		SameSite: http.SameSiteStrictMode,
	})
	return nil
}
