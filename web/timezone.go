package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
)

// zoneCookie holds the browser's IANA time zone, which static/app.js sets
// on every page load, so that every request after the first knows the
// user's "today" without a form.
const zoneCookie = "tz"

// userLocation is the zone the signed-in user's "today" is counted in: the
// zone chosen on the account page, else the browser's (zoneCookie), else
// UTC. A zone name that does not load counts as none.
func userLocation(c echo.Context) *time.Location {
	if u := currentUser(c); u != nil && u.TimeZone != nil && *u.TimeZone != "" {
		return models.ZoneLocation(*u.TimeZone)
	}
	if ck, err := c.Cookie(zoneCookie); err == nil {
		return models.ZoneLocation(ck.Value)
	}
	return time.UTC
}
