package web

import (
	"taskapp/models"
)

// AccountHandler serves the account page, password change and deletion.
// (Skeleton: the accounts work fills it in.)
type AccountHandler struct {
	store    *models.Store
	sessions *sessionManager
}

// NewAccountHandler returns the account handlers.
func NewAccountHandler(store *models.Store, sessions *sessionManager) *AccountHandler {
	return &AccountHandler{store: store, sessions: sessions}
}

// Routes registers the account routes on a signed-in group.
func (h *AccountHandler) Routes(r router) {}
