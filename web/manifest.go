package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/static"
	"taskapp/views"
)

// manifestType is the web app manifest's registered media type.
const manifestType = "application/manifest+json"

// ManifestHandler serves the web app manifest, built once: its icon URLs
// carry content hashes, so it changes only with a new build.
type ManifestHandler struct {
	body []byte
}

// NewManifestHandler builds the manifest with assets' icon URLs.
func NewManifestHandler(assets *static.Assets) (*ManifestHandler, error) {
	body, err := views.Manifest(assets.Path)
	if err != nil {
		return nil, err
	}
	return &ManifestHandler{body: body}, nil
}

// Routes registers the manifest. Browsers fetch it without cookies, so it
// is public, like the static files.
func (h *ManifestHandler) Routes(e *echo.Echo) {
	e.GET(views.PathManifest, h.serve)
}

func (h *ManifestHandler) serve(c echo.Context) error {
	// Revalidated on each use: the URL stays the same across deployments
	// while the icon URLs inside it change.
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, manifestType, h.body)
}
