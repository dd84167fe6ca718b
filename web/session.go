package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "taskapp_session"

// Session value keys. keySID is the token of the server-side session
// record (see models.Session); a cookie without one is a signed-out
// visitor's, holding only a CSRF token and flash messages.
const (
	keySID   = "sid"
	keyCSRF  = "csrf"
	keyFlash = "flash"
)

// sessionStore is what sessions need from the store.
type sessionStore interface {
	CreateSession(ctx context.Context, ns models.NewSession, now time.Time, life models.SessionLifetime) (string, *models.Session, error)
	SessionByToken(ctx context.Context, token string, now time.Time) (*models.Session, *models.User, error)
	TouchSession(ctx context.Context, sess *models.Session, now time.Time, life models.SessionLifetime) error
	DeleteSession(ctx context.Context, userID, id int64) error
}

// sessionManager keeps a signed, encrypted cookie per browser and, for a
// signed-in one, a record in the sessions table that the cookie names.
// The record is the authority: deleting it signs the browser out wherever
// its cookie is replayed, on every instance.
type sessionManager struct {
	cookies *sessions.CookieStore
	store   sessionStore
	life    models.SessionLifetime
	now     func() time.Time
	secure  string
	proxies trustedProxies
	logger  *slog.Logger
}

func newSessionManager(cfg Config, proxies trustedProxies, store sessionStore) *sessionManager {
	cookies := sessions.NewCookieStore(cfg.SessionKeys...)
	cookies.MaxAge(int(cfg.MaxSessionAge.Seconds()))
	// gorilla/sessions defaults to Secure and SameSite=None: set every
	// option explicitly. Secure is decided per request in save.
	cookies.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(cfg.MaxSessionAge.Seconds()),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	return &sessionManager{
		cookies: cookies,
		store:   store,
		life:    models.SessionLifetime{Idle: cfg.IdleTimeout, Max: cfg.MaxSessionAge},
		now:     cfg.Now,
		secure:  cfg.SecureCookies,
		proxies: proxies,
		logger:  cfg.Logger,
	}
}

// session is one request's view of the cookie, and of the record when
// signed in. Cookie changes are written back once, just before the
// response headers go out.
type session struct {
	m      *sessionManager
	raw    *sessions.Session
	dirty  bool
	record *models.Session // nil when signed out
}

// middleware loads the cookie (a fresh one when it is missing or forged)
// and arranges for it to be saved.
func (m *sessionManager) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, err := m.cookies.Get(c.Request(), sessionCookie)
		s := &session{m: m, raw: raw}
		// err means the cookie failed to decode (a rotated-out key, tampering).
		if err != nil || raw.IsNew {
			s.reset()
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

// loadUser finds the session record the cookie names and its user, in one
// query, and puts the user in the context. A record that is gone (signed
// out, ended from another device, expired, the user deleted) leaves a
// signed-out visitor with a fresh cookie and CSRF token.
func (m *sessionManager) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := sessionFrom(c)
		token, _ := s.raw.Values[keySID].(string)
		if token == "" {
			return next(c)
		}
		ctx, now := c.Request().Context(), m.now()
		rec, u, err := m.store.SessionByToken(ctx, token, now)
		switch {
		case errors.Is(err, models.ErrNotFound):
			s.reset()
			return next(c)
		case err != nil:
			return err
		}
		if err := m.store.TouchSession(ctx, rec, now, m.life); err != nil {
			// Last-seen is a convenience; the request goes on.
			m.logger.Warn("touch session", "id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err.Error())
		}
		s.record = rec
		c.Set(ctxUser, u)
		return next(c)
	}
}

func (m *sessionManager) save(c echo.Context, s *session) {
	opts := *m.cookies.Options
	opts.Secure = m.proxies.secureCookies(m.secure, c.Request())
	s.raw.Options = &opts
	if err := s.raw.Save(c.Request(), c.Response().Writer); err != nil {
		// Only an encoding failure gets here; the response goes on and the
		// person is signed out on their next request.
		m.logger.Error("save session", "id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err.Error())
	}
}

// reset empties the cookie and starts a new one with a new CSRF token.
// Sign-in and sign-out both go through here, so a session that existed
// before sign-in never carries over (no fixation), and a token seen while
// signed in is useless after sign-out.
func (s *session) reset() {
	for k := range s.raw.Values {
		delete(s.raw.Values, k)
	}
	s.raw.Values[keyCSRF] = newToken()
	s.record = nil
	s.dirty = true
}

// signIn starts a fresh session for u: a new record, remembering the
// browser and address it came from, and a new cookie naming it.
func (s *session) signIn(c echo.Context, u *models.User) error {
	if err := s.end(c); err != nil {
		return err
	}
	r := c.Request()
	token, rec, err := s.m.store.CreateSession(r.Context(), models.NewSession{
		UserID:     u.ID,
		UserAgent:  r.UserAgent(),
		ClientAddr: c.RealIP(),
	}, s.m.now(), s.m.life)
	if err != nil {
		return err
	}
	s.raw.Values[keySID] = token
	s.record = rec
	return nil
}

// signOut ends the session on the server; the visitor keeps a fresh
// anonymous cookie.
func (s *session) signOut(c echo.Context) error { return s.end(c) }

// end deletes the record, if any, and resets the cookie. A record already
// gone (ended from another device, or with its account) is what was asked.
func (s *session) end(c echo.Context) error {
	if rec := s.record; rec != nil {
		err := s.m.store.DeleteSession(c.Request().Context(), rec.UserID, rec.ID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	s.reset()
	return nil
}

// stillSignedIn asks the store again whether the session this request
// signed in with exists. A long-lived request (an event stream) asks
// before it tells the browser anything, so that a session ended elsewhere
// (signed out, ended from the account page, on any instance) hears
// nothing more. An error says nothing either way.
func (s *session) stillSignedIn(c echo.Context) (bool, error) {
	token, _ := s.raw.Values[keySID].(string)
	if token == "" || s.record == nil {
		return false, nil
	}
	_, _, err := s.m.store.SessionByToken(c.Request().Context(), token, s.m.now())
	switch {
	case errors.Is(err, models.ErrNotFound):
		return false, nil
	case err != nil:
		return true, fmt.Errorf("web: check the session: %w", err)
	}
	return true, nil
}

// recordID is the id of the signed-in session's record, or 0.
func (s *session) recordID() int64 {
	if s.record == nil {
		return 0
	}
	return s.record.ID
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

// addUndoFlash queues a message about a deletion with its Undo button:
// undo names the deletion, back is the list to return to. It is stored
// as a query string (which a plain message, "kind:text", never starts
// with), so that the list URL may hold any character.
func (s *session) addUndoFlash(msg, undo, back string) {
	v := url.Values{"kind": {string(views.FlashSuccess)}, "msg": {msg}, "undo": {undo}, "back": {back}}
	s.raw.AddFlash("?"+v.Encode(), keyFlash)
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
		if q, ok := strings.CutPrefix(str, "?"); ok {
			v, _ := url.ParseQuery(q)
			out = append(out, views.Flash{Kind: views.FlashKind(v.Get("kind")), Message: v.Get("msg"), Undo: v.Get("undo"), Back: v.Get("back")})
			continue
		}
		kind, msg, _ := strings.Cut(str, ":")
		out = append(out, views.Flash{Kind: views.FlashKind(kind), Message: msg})
	}
	return out
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
