package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "taskapp_session"

// Session value keys.
const (
	keyUserID  = "uid"
	keyPWPrint = "pwfp"
	keyCSRF    = "csrf"
	keyCreated = "created"
	keySeen    = "seen"
	keyFlash   = "flash"
)

// seenGranularity limits how often last-seen is rewritten, so most
// responses don't need a new cookie.
const seenGranularity = time.Minute

// sessionManager keeps sessions in signed, encrypted cookies. Nothing is
// stored server-side, so there is no sessions table to migrate or clean.
type sessionManager struct {
	store   *sessions.CookieStore
	idle    time.Duration
	maxAge  time.Duration
	secure  string
	proxies trustedProxies
	logger  *slog.Logger
}

func newSessionManager(cfg Config, proxies trustedProxies) *sessionManager {
	store := sessions.NewCookieStore(cfg.SessionKeys...)
	store.MaxAge(int(cfg.MaxSessionAge.Seconds()))
	// gorilla/sessions defaults to Secure and SameSite=None: set every
	// option explicitly. Secure is decided per request in save.
	store.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(cfg.MaxSessionAge.Seconds()),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	return &sessionManager{store: store, idle: cfg.IdleTimeout, maxAge: cfg.MaxSessionAge, secure: cfg.SecureCookies, proxies: proxies, logger: cfg.Logger}
}

// session is one request's view of the cookie. Changes are written back
// once, just before the response headers go out.
type session struct {
	raw   *sessions.Session
	dirty bool
}

// middleware loads the session (a fresh one when the cookie is missing,
// forged, idle too long or too old) and arranges for it to be saved.
func (m *sessionManager) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		raw, err := m.store.Get(r, sessionCookie)
		s := &session{raw: raw}
		now := time.Now()
		created, _ := raw.Values[keyCreated].(int64)
		seen, _ := raw.Values[keySeen].(int64)
		// err means the cookie failed to decode (a rotated-out key, tampering).
		if err != nil || raw.IsNew || now.Sub(time.Unix(created, 0)) > m.maxAge || now.Sub(time.Unix(seen, 0)) > m.idle {
			s.reset(now)
		} else if now.Sub(time.Unix(seen, 0)) > seenGranularity {
			raw.Values[keySeen] = now.Unix()
			s.dirty = true
		}
		c.Set(ctxSession, s)
		c.Response().Before(func() {
			if s.dirty {
				m.save(c, s)
			}
		})
		return next(c)
	}
}

func (m *sessionManager) save(c echo.Context, s *session) {
	opts := *m.store.Options
	switch m.secure {
	case "true":
		opts.Secure = true
	case "auto":
		opts.Secure = m.proxies.https(c.Request())
	}
	s.raw.Options = &opts
	if err := s.raw.Save(c.Request(), c.Response().Writer); err != nil {
		// Only an encoding failure gets here; the response goes on and the
		// person is signed out on their next request.
		m.logger.Error("save session", "id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err.Error())
	}
}

// reset empties the session and starts a new one: new CSRF token, new
// creation time. Sign-in and sign-out both go through here, so a session
// that existed before sign-in never carries over (no fixation).
func (s *session) reset(now time.Time) {
	for k := range s.raw.Values {
		delete(s.raw.Values, k)
	}
	s.raw.Values[keyCSRF] = newToken()
	s.raw.Values[keyCreated] = now.Unix()
	s.raw.Values[keySeen] = now.Unix()
	s.dirty = true
}

// signIn starts a fresh session for u.
func (s *session) signIn(u *models.User) {
	s.reset(time.Now())
	s.raw.Values[keyUserID] = u.ID
	s.raw.Values[keyPWPrint] = passwordPrint(u.HashedPassword)
}

// signOut ends the session; the visitor keeps a fresh anonymous one.
func (s *session) signOut() { s.reset(time.Now()) }

// refreshPassword records u's new password hash in this session, so that
// it stays signed in while every other session of u is ended.
func (s *session) refreshPassword(u *models.User) {
	s.raw.Values[keyPWPrint] = passwordPrint(u.HashedPassword)
	s.dirty = true
}

// userID is the signed-in user's id and the password print the session
// was issued for, or 0.
func (s *session) userID() (int64, string) {
	id, _ := s.raw.Values[keyUserID].(int64)
	print, _ := s.raw.Values[keyPWPrint].(string)
	return id, print
}

func (s *session) csrfToken() string {
	t, _ := s.raw.Values[keyCSRF].(string)
	return t
}

// addFlash queues a message for the next page shown.
func (s *session) addFlash(kind views.FlashKind, msg string) {
	s.raw.AddFlash(string(kind)+":"+msg, keyFlash)
	s.dirty = true
}

// popFlashes takes the queued messages.
func (s *session) popFlashes() []views.Flash {
	raw := s.raw.Flashes(keyFlash)
	if len(raw) == 0 {
		return nil
	}
	s.dirty = true
	out := make([]views.Flash, 0, len(raw))
	for _, f := range raw {
		str, _ := f.(string)
		kind, msg, _ := strings.Cut(str, ":")
		out = append(out, views.Flash{Kind: views.FlashKind(kind), Message: msg})
	}
	return out
}

// passwordPrint identifies a password hash without revealing it. A session
// remembers the print it was issued for; changing the password changes the
// print, which ends every session issued before the change.
func passwordPrint(hash string) string {
	sum := sha256.Sum256([]byte("taskapp session password print\x00" + hash))
	return hex.EncodeToString(sum[:12])
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
