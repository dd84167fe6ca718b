package views

import (
	"strconv"
	"strings"
)

// Every path taskapp serves, named once: the router registers these
// patterns and every link, form and redirect is built from them.
const (
	PathHealth = "/healthz"
	PathReady  = "/readyz"

	PathManifest = "/manifest.webmanifest"

	PathRegister = "/register"
	PathLogin    = "/login"
	PathLogout   = "/logout"

	PathAccount         = "/account"
	PathAccountPassword = "/account/password"
	PathAccountDelete   = "/account/delete"
	PathAccountSessions = "/account/sessions"
	PathAccountSession  = "/account/sessions/:id"
	PathAccountKeyboard = "/account/keyboard"
	PathAccountTimeZone = "/account/time-zone"
	// The account's tasks as a download, and the upload that adds tasks
	// from such a file.
	PathAccountExportCSV  = "/account/tasks.csv"
	PathAccountExportJSON = "/account/tasks.json"
	PathAccountImport     = "/account/import"

	PathTasks          = "/tasks"
	PathTaskCounts     = "/tasks/counts"
	PathTasksBulk      = "/tasks/bulk"
	PathTask           = "/tasks/:id"
	PathTaskEdit       = "/tasks/:id/edit"
	PathTaskDeleteForm = "/tasks/:id/delete"

	// The trash: deleted tasks, until they are restored, erased, or the
	// purge erases them.
	PathTrash        = "/trash"
	PathTrashUndo    = "/trash/undo"
	PathTrashEmpty   = "/trash/empty"
	PathTrashRestore = "/trash/:id/restore"
	PathTrashErase   = "/trash/:id/erase"

	// PathEvents streams the signed-in user's task events to open pages.
	PathEvents = "/events"
)

// TrashRestoreURL is where a trashed task is restored.
func TrashRestoreURL(id int64) string { return withID(PathTrashRestore, id) }

// TrashEraseURL is where a trashed task is erased (POST), or the page that
// asks first (GET).
func TrashEraseURL(id int64) string { return withID(PathTrashErase, id) }

// TaskURL is a task's page.
func TaskURL(id int64) string { return withID(PathTask, id) }

// TaskEditURL is where a row fetches its inline edit form.
func TaskEditURL(id int64) string { return withID(PathTaskEdit, id) }

// TaskDeleteURL is the page that asks before a delete without JavaScript.
func TaskDeleteURL(id int64) string { return withID(PathTaskDeleteForm, id) }

// SessionURL is where one of the account's sessions is ended.
func SessionURL(id int64) string { return withID(PathAccountSession, id) }

func withID(pattern string, id int64) string {
	return strings.Replace(pattern, ":id", strconv.FormatInt(id, 10), 1)
}

// TaskIDFromPath is the task id in a task page's path, such as
// "/tasks/12": ASCII digits with no sign and no leading zero.
func TaskIDFromPath(path string) (int64, bool) {
	rest, ok := strings.CutPrefix(path, PathTasks+"/")
	if !ok {
		return 0, false
	}
	return ParseTaskID(rest)
}

// ParseTaskID reads a task id strictly: ASCII digits with no sign and no
// leading zero. Anything else names no task.
func ParseTaskID(s string) (int64, bool) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}
