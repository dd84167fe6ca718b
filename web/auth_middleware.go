package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// userLoader is what loadUser needs from the store.
type userLoader interface {
	UserByID(ctx context.Context, id int64) (*models.User, error)
}

// loadUser puts the signed-in user in the context. A session whose user is
// gone, or whose password print no longer matches (the password changed
// elsewhere), is ended here.
func loadUser(users userLoader) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			s := sessionFrom(c)
			id, print := s.userID()
			if id == 0 {
				return next(c)
			}
			u, err := users.UserByID(c.Request().Context(), id)
			switch {
			case errors.Is(err, models.ErrNotFound):
				s.signOut()
			case err != nil:
				return err
			case passwordPrint(u.HashedPassword) != print:
				s.signOut()
			default:
				c.Set(ctxUser, u)
			}
			return next(c)
		}
	}
}

// requireUser sends signed-out visitors to the login page, remembering
// where they were going (for GETs; a form post cannot be replayed).
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			return next(c)
		}
		target := views.PathLogin
		if r := c.Request(); r.Method == http.MethodGet {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return redirect(c, target)
	}
}

// requireGuest sends signed-in people away from the login and register
// pages.
func requireGuest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			return redirect(c, views.PathTasks)
		}
		return next(c)
	}
}
