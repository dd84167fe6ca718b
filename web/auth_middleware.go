package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

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
