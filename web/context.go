package web

import (
	"github.com/labstack/echo/v4"

	"taskapp/models"
)

// Keys for values the middleware puts in the Echo context. They are named
// here, in one place, and read only through the typed getters below.
const (
	ctxSession = "taskapp.session"
	ctxUser    = "taskapp.user"
	// ctxUpload is an upload's *multipart.Reader, once verifyCSRF has
	// read the token from its first part (uploadParts).
	ctxUpload = "taskapp.upload"
)

// currentUser is the signed-in user, or nil. Handlers take the owner of
// everything they touch from here, never from the request.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(ctxUser).(*models.User)
	return u
}

// sessionFrom is the request's session, which the session middleware
// always sets for application routes.
func sessionFrom(c echo.Context) *session {
	s, _ := c.Get(ctxSession).(*session)
	return s
}
