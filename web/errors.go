package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// errorHandler is Echo's HTTPErrorHandler: the one place that decides, for
// an error a handler returned, the status, the log line and the page.
type errorHandler struct {
	logger *slog.Logger
}

func (h *errorHandler) handle(err error, c echo.Context) {
	if clientGone(err) {
		return
	}
	if c.Response().Committed {
		// Too late for an error page (a download broke off half way):
		// the log is the only place this shows.
		h.logger.Error("request failed after its response began", "id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err.Error())
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	switch {
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, models.ErrUnavailable):
		status = http.StatusServiceUnavailable
	case errors.As(err, &he):
		status = he.Code
	}
	id := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		// The request logger records the line too; this one keeps the
		// full error chain for whoever reads the logs with the id.
		h.logger.Error("request failed", "id", id, "status", status, "error", err.Error())
	}
	if status == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
		// The store has already waited out short outages; this one is
		// longer, and clients and proxies should not hammer it.
		c.Response().Header().Set("Retry-After", retryAfterUnavailable)
	}
	page := errorPage(status, id)
	retry := c.Response().Header().Get("Retry-After")
	switch {
	case isHashingBusy(err):
		page.Title, page.RequestID = "Busy", ""
		page.Message = "Too many people are signing in at once. Try again in " + retry + " seconds."
	case status == http.StatusTooManyRequests && retry != "":
		page.Message += " Try again in " + retry + " seconds."
	}
	if err := renderError(c, status, page); err != nil {
		h.logger.Warn("render error page", "id", id, "error", err.Error())
	}
}

// retryAfterUnavailable is the Retry-After, in seconds, of a 503.
const retryAfterUnavailable = "5"

// errorPage is what a person reads for status. 5xx pages carry the request
// id; none carries anything from the error itself.
func errorPage(status int, requestID string) views.ErrorPage {
	p := views.ErrorPage{Status: status}
	switch status {
	case http.StatusNotFound:
		p.Title, p.Message = "Not found", "There is nothing here. The task may have been deleted, or the link is wrong."
	case http.StatusForbidden:
		p.Title, p.Message = "Form expired", "This form was open too long or came from another site. Go back, reload the page and try again."
	case http.StatusTooManyRequests:
		p.Title, p.Message = "Too many attempts", "Too many attempts in a short time."
	case http.StatusRequestEntityTooLarge:
		p.Title, p.Message = "Too much text", "What you sent is larger than taskapp accepts."
	case http.StatusUnsupportedMediaType:
		p.Title, p.Message = "Unsupported form", "taskapp does not accept file uploads here."
	case http.StatusMethodNotAllowed:
		p.Title, p.Message = "Not allowed", "That action is not available here."
	case http.StatusServiceUnavailable:
		p.Title, p.Message, p.RequestID = "Temporarily unavailable", "The database is not answering. Please try again in a moment.", requestID
	default:
		if status >= 500 {
			p.Title, p.Message, p.RequestID = "Something went wrong", "An unexpected error stopped this request. It has been logged; if it keeps happening, report it with the request id below.", requestID
		} else {
			p.Title, p.Message = http.StatusText(status), "The request could not be handled."
		}
	}
	return p
}
