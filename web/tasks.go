package web

import (
	"taskapp/models"
)

// TaskHandler serves the task list and every task action.
// (Skeleton: the tasks work fills it in.)
type TaskHandler struct {
	store   *models.Store
	perPage int
}

// NewTaskHandler returns the task handlers.
func NewTaskHandler(store *models.Store, perPage int) *TaskHandler {
	return &TaskHandler{store: store, perPage: perPage}
}

// Routes registers the task routes on a signed-in group.
func (h *TaskHandler) Routes(r router) {}
