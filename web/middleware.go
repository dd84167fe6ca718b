package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
// img-src allows data: because Pico draws its icons as data: SVGs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// strictTransportSecurity tells browsers to use https only for a year.
// Subdomains are left out: they may be other people's services.
const strictTransportSecurity = "max-age=31536000"

// securityHeaders sets the headers every response carries, and HSTS on
// responses to requests that came over https (directly or through a
// trusted proxy): sent over plain http it would be ignored, and an
// operator trying taskapp on http://localhost should not pin https.
func securityHeaders(proxies trustedProxies) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if proxies.https(c.Request()) {
				h.Set("Strict-Transport-Security", strictTransportSecurity)
			}
			return next(c)
		}
	}
}

// requestID gives every request an id, shown on error pages and logged.
// A client's X-Request-ID is ignored, since anyone could put text of their
// choosing on the page and in the logs; one set by a trusted proxy is kept
// (when short and plain), so that its logs and ours line up.
func requestID(proxies trustedProxies) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			id := r.Header.Get(echo.HeaderXRequestID)
			if !proxies.trusts(r) || !plainID(id) {
				id = rand.Text()
			}
			// The request logger reads the request's header first.
			r.Header.Set(echo.HeaderXRequestID, id)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			return next(c)
		}
	}
}

// plainID reports whether a proxy's request id is safe to show and log:
// 1 to 128 letters, digits, '-', '_' or '.'.
func plainID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// requestLogger logs one line per request with slog: Error for 5xx, Warn
// for 4xx, Info otherwise. HandleError makes the logged status the one the
// error handler actually sent.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:  true,
		LogLatency:   true,
		LogMethod:    true,
		LogURIPath:   true,
		LogRoutePath: true,
		LogStatus:    true,
		LogRemoteIP:  true,
		LogRequestID: true,
		LogError:     true,
		Skipper: func(c echo.Context) bool {
			return isProbe(c.Request().URL.Path)
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case v.Status >= 500:
				level = slog.LevelError
			case v.Status >= 400:
				level = slog.LevelWarn
			}
			attrs := []slog.Attr{
				slog.String("id", v.RequestID),
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
				slog.String("ip", v.RemoteIP),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			logger.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// recoverPanics turns a panic into a 500: the stack goes to the log, the
// person sees the error page with the request id and nothing else.
func recoverPanics(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if r == http.ErrAbortHandler {
					panic(r)
				}
				stack := make([]byte, 8<<10)
				stack = stack[:runtime.Stack(stack, false)]
				logger.Error("panic", "id", c.Response().Header().Get(echo.HeaderXRequestID),
					"panic", fmt.Sprint(r), "stack", string(stack))
				err = errPanic
			}()
			return next(c)
		}
	}
}

// errPanic stands in for a recovered panic; its text never reaches a page.
var errPanic = errors.New("web: handler panicked")

// clientGone reports whether err only says the client went away.
func clientGone(err error) bool {
	return errors.Is(err, context.Canceled)
}
