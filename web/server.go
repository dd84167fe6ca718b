// Package web is taskapp's HTTP side: the Echo router, its middleware, and
// one handler type per area (auth, account, tasks, health). Handlers return
// errors; handleError alone decides status, log level and page.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/static"
	"taskapp/views"
)

// Config is what the web layer needs beyond the store.
type Config struct {
	// SessionKeys sign and encrypt session cookies; the first signs new
	// cookies, all of them are accepted (key rotation). See SessionKeys.
	SessionKeys [][]byte
	// SecureCookies is "auto" (Secure when the request came over TLS, or
	// over https through a trusted proxy), "true" or "false"; "" is auto.
	// See CheckSecureCookies.
	SecureCookies string
	// TrustedProxies may set X-Forwarded-For and X-Forwarded-Proto. With
	// none, the client is the TCP peer and forwarded headers are ignored.
	TrustedProxies []*net.IPNet
	// IdleTimeout ends a session unused this long; MaxSessionAge ends any
	// session this long after sign-in.
	IdleTimeout   time.Duration
	MaxSessionAge time.Duration
	// Now is the clock sessions are judged by (time.Now when nil); tests
	// move it instead of sleeping.
	Now func() time.Time
	// PerPage is how many tasks a list page shows; 0 leaves the store's
	// default (models.DefaultPerPage).
	PerPage int
	// BodyLimit caps request bodies, e.g. "256K".
	BodyLimit string
	// Heartbeat is how often idle event streams send a comment;
	// 0 means DefaultHeartbeat.
	Heartbeat time.Duration
	// RateLimits bound sign-in and registration attempts; zero fields
	// take the defaults (applied where the limiters are made).
	RateLimits RateLimits
	// RegistrationClosed hides the Register link and answers /register
	// with 403 (REGISTRATION=closed); accounts are then made with the CLI.
	RegistrationClosed bool
	// HashConcurrency bounds password hashes computed at once (default
	// half of GOMAXPROCS, at least 1; see newHashGate); HashWait is how long a request waits for a turn before
	// it gets a 503 (default 1 s). See hashGate.
	HashConcurrency int
	HashWait        time.Duration
	// TrashRetention is how long a deleted task stays in the trash
	// (TRASH_RETENTION; the purge erases it after that). The trash page
	// says when each task will be erased. 0 is models.DefaultTaskRetention.
	TrashRetention time.Duration
	Logger         *slog.Logger

	// hashing replaces the gate built from HashConcurrency, so that tests
	// can hold its slots.
	hashing *hashGate
}

func (c *Config) setDefaults() {
	if c.SecureCookies == "" {
		c.SecureCookies = "auto"
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 7 * 24 * time.Hour
	}
	if c.MaxSessionAge <= 0 {
		c.MaxSessionAge = 30 * 24 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.BodyLimit == "" {
		c.BodyLimit = "256K"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.hashing == nil {
		c.hashing = newHashGate(c.HashConcurrency, c.HashWait)
	}
}

// CheckSecureCookies reports whether v is a Config.SecureCookies mode:
// auto, true or false, or "" for auto. Its error completes a sentence
// that begins with the setting's name.
func CheckSecureCookies(v string) error {
	switch v {
	case "", "auto", "true", "false":
		return nil
	}
	return fmt.Errorf("must be auto, true or false, not %q", v)
}

// New builds the application's router on store.
func New(cfg Config, store *models.Store, assets *static.Assets) (*echo.Echo, error) {
	cfg.setDefaults()
	if len(cfg.SessionKeys) == 0 {
		return nil, errors.New("web: no session keys")
	}
	if err := CheckSecureCookies(cfg.SecureCookies); err != nil {
		return nil, fmt.Errorf("web: SECURE_COOKIES %w", err)
	}
	proxies := trustedProxies(cfg.TrustedProxies)
	cfg.RateLimits.buckets = bucketsFor(store)
	sessions := newSessionManager(cfg, proxies, store)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(discard{})
	e.IPExtractor = proxies.ipExtractor()
	eh := &errorHandler{logger: cfg.Logger}
	e.HTTPErrorHandler = eh.handle

	compress, err := compressResponses()
	if err != nil {
		return nil, err
	}
	// Pre runs before routing: everything that must hold for any answer
	// (a 404, a 405, a 413) and the body rules, whose method override
	// picks the route and so must run first, under the body limit.
	// Compression comes first, so that error pages pass through it too.
	e.Pre(
		compress,
		requestID(proxies),
		requestLogger(cfg.Logger),
		recoverPanics(cfg.Logger),
		securityHeaders(proxies),
		viewRequest(assets, cfg.RegistrationClosed),
		bodyRules{limit: cfg.BodyLimit, uploads: map[string]int64{
			http.MethodPost + " " + views.PathAccountImport: importBodyLimit,
		}}.middleware(),
	)
	e.Use(
		// Everything a person sees (unmatched paths too, so the 404 page
		// knows who is signed in) goes through sessions, CSRF and the user.
		unlessMachine(sessions.middleware),
		// The user is loaded before the CSRF check so that a 403 page
		// still shows who is signed in.
		unlessMachine(sessions.loadUser),
		unlessMachine(verifyCSRF),
		withLivePage,
	)

	e.Match([]string{http.MethodGet, http.MethodHead}, static.URLPrefix+"*", echo.WrapHandler(assets.Handler()))
	NewHealthHandler(store).Routes(e)
	manifest, err := NewManifestHandler(assets)
	if err != nil {
		return nil, err
	}
	manifest.Routes(e)

	e.Match([]string{http.MethodGet, http.MethodHead}, "/", home)
	guest := routes{e: e, mw: []echo.MiddlewareFunc{requireGuest}}
	signedIn := routes{e: e, mw: []echo.MiddlewareFunc{requireUser}}
	auth, err := newAuthHandler(store, authConfig{
		limits:             cfg.RateLimits,
		registrationClosed: cfg.RegistrationClosed,
		hashing:            cfg.hashing,
		devices:            newDeviceCookies(cfg, proxies),
		logger:             cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	auth.Routes(guest, signedIn)
	NewAccountHandler(store, cfg.RateLimits, cfg.hashing, cfg.Now).Routes(signedIn)
	tasks := NewTaskHandler(store, cfg.PerPage)
	tasks.Routes(signedIn)
	NewTrashHandler(store, tasks, cfg.TrashRetention).Routes(signedIn)
	NewEventsHandler(store, cfg.Heartbeat).Routes(signedIn)
	return e, nil
}

// unlessMachine skips m for static files, the manifest and probes, which
// need no session.
func unlessMachine(m echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withM := m(next)
		return func(c echo.Context) error {
			p := c.Request().URL.Path
			if strings.HasPrefix(p, static.URLPrefix) || isProbe(p) || p == views.PathManifest {
				return next(c)
			}
			return withM(c)
		}
	}
}

// router is what a handler's Routes method registers on.
type router interface {
	GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
}

// routes applies middleware to each route it registers. It stands in for
// an Echo group: a group with an empty prefix and middleware claims every
// unmatched path (its RouteNotFound), and the 404 page would become a
// redirect to the login page.
type routes struct {
	e  *echo.Echo
	mw []echo.MiddlewareFunc
}

func (r routes) with(m []echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append(append([]echo.MiddlewareFunc{}, r.mw...), m...)
}

// GET registers a page, which answers HEAD as well: HEAD is GET without
// the body (net/http drops what a handler writes for HEAD).
func (r routes) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.e.Match([]string{http.MethodGet, http.MethodHead}, path, h, r.with(m)...)[0]
}

func (r routes) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.e.POST(path, h, r.with(m)...)
}

func (r routes) PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.e.PUT(path, h, r.with(m)...)
}

func (r routes) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.e.PATCH(path, h, r.with(m)...)
}

func (r routes) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.e.DELETE(path, h, r.with(m)...)
}

// home sends people to their tasks, or to the login page.
func home(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, views.PathTasks)
	}
	return c.Redirect(http.StatusSeeOther, views.PathLogin)
}

// discard silences Echo's own logger; requests are logged with slog.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
