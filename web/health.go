package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// pinger is what readiness needs from the store.
type pinger interface {
	Ping(ctx context.Context) error
}

// HealthHandler answers liveness and readiness probes.
type HealthHandler struct {
	db pinger
}

// NewHealthHandler returns the probe handlers for db.
func NewHealthHandler(db pinger) *HealthHandler { return &HealthHandler{db: db} }

// Routes registers the liveness and readiness probes.
func (h *HealthHandler) Routes(e *echo.Echo) {
	e.GET(views.PathHealth, h.live)
	e.GET(views.PathReady, h.ready)
}

// isProbe reports whether path is a probe's, which is neither logged nor
// given a session.
func isProbe(path string) bool { return path == views.PathHealth || path == views.PathReady }

// live is 200 whenever the process serves.
func (h *HealthHandler) live(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// ready is 200 when the database answers and 503 when it does not, so a
// load balancer stops sending traffic an instance cannot serve.
func (h *HealthHandler) ready(c echo.Context) error {
	if err := h.db.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
