package web

import (
	"log/slog"

	"taskapp/models"
)

// AuthHandler serves registration, sign-in and sign-out.
// (Skeleton: the accounts work fills it in.)
type AuthHandler struct {
	store    *models.Store
	sessions *sessionManager
	logger   *slog.Logger
}

// NewAuthHandler returns the auth handlers.
func NewAuthHandler(store *models.Store, sessions *sessionManager, logger *slog.Logger) *AuthHandler {
	return &AuthHandler{store: store, sessions: sessions, logger: logger}
}

// Routes registers the auth routes: guest for signed-out pages, signedIn
// for logout.
func (h *AuthHandler) Routes(guest, signedIn router) {}
