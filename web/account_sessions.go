package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// sessionsView lists the signed-in account's live sessions for the
// account page: the one making this request first, marked, then the
// others, most recently used first.
func (h *AccountHandler) sessionsView(c echo.Context) (views.SessionsView, error) {
	now := h.now()
	list, err := h.store.SessionsOf(c.Request().Context(), currentUser(c).ID, now)
	if err != nil {
		return views.SessionsView{}, err
	}
	current := sessionFrom(c).recordID()
	v := views.SessionsView{Now: now, Sessions: make([]views.SessionItem, 0, len(list))}
	for _, s := range list {
		item := views.SessionItem{
			ID:       s.ID,
			Device:   views.Device(s.UserAgent),
			Address:  s.ClientAddr,
			Created:  s.CreatedAt,
			LastSeen: s.LastSeenAt,
			Current:  s.ID == current,
		}
		if item.Current { // this device first, then the most recently used
			v.Sessions = append([]views.SessionItem{item}, v.Sessions...)
			continue
		}
		v.Sessions = append(v.Sessions, item)
	}
	return v, nil
}

// endSession is DELETE /account/sessions/{id}: signs out one of the
// account's other devices. Someone else's session id is a 404, exactly
// like one that does not exist. Ending this device's own session is
// signing out.
func (h *AccountHandler) endSession(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("web: session id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	s := sessionFrom(c)
	if id == s.recordID() {
		if err := s.signOut(c); err != nil {
			return err
		}
		flash(c, views.FlashSuccess, "You have logged out.")
		return redirect(c, views.PathLogin)
	}
	if err := h.store.DeleteSession(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "That device has been signed out.")
	return h.sessionsChanged(c)
}

// endOtherSessions is DELETE /account/sessions: "Sign out everywhere
// else" keeps only this device signed in.
func (h *AccountHandler) endOtherSessions(c echo.Context) error {
	n, err := h.store.DeleteSessions(c.Request().Context(), currentUser(c).ID, sessionFrom(c).recordID())
	if err != nil {
		return err
	}
	switch n {
	case 0:
		flash(c, views.FlashSuccess, "No other device was signed in.")
	case 1:
		flash(c, views.FlashSuccess, "Signed out 1 other device.")
	default:
		flash(c, views.FlashSuccess, "Signed out "+strconv.FormatInt(n, 10)+" other devices.")
	}
	return h.sessionsChanged(c)
}

// sessionsChanged answers a change to the list: htmx gets the list again
// (and the message out of band), a plain form a 303 back to the page.
func (h *AccountHandler) sessionsChanged(c echo.Context) error {
	return respond(c, views.PathAccount, func() error {
		v, err := h.sessionsView(c)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, nil, views.AccountSessions(v))
	})
}
