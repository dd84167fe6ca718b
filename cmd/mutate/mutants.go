package main

import "strings"

// mutant is one realistic bug: in File, the exact text From becomes To.
type mutant struct {
	Name     string
	File     string // slash-separated, from the repository root
	From, To string
	// Pkgs are the packages whose tests must notice; by default the
	// package the file is in (migrations: also models, whose schema tests
	// read the catalog).
	Pkgs []string
	// Only names the one database that can tell the difference
	// ("postgres" or "sqlite"); on the other the mutant is skipped.
	Only string
	// Accepted says why it is fine for this mutant to survive (it is
	// equivalent, or another branch closes it). Survivors without a reason
	// fail the run.
	Accepted string
}

func (m mutant) packages() []string {
	if len(m.Pkgs) > 0 {
		return m.Pkgs
	}
	dir, _, _ := strings.Cut(m.File, "/")
	if dir == "migrations" {
		return []string{"./migrations/", "./models/"}
	}
	return []string{"./" + dir + "/"}
}

// packagesOf is every package the mutants test, for the baseline run.
func packagesOf(ms []mutant) []string {
	seen := map[string]bool{}
	var pkgs []string
	for _, m := range ms {
		for _, p := range m.packages() {
			if !seen[p] {
				seen[p] = true
				pkgs = append(pkgs, p)
			}
		}
	}
	return pkgs
}

// mutants are the bugs a reviewer would try: the mutation audit of issue 16
// (its seven survivors first), then isolation, CSRF, validation, rate
// limits, fragment or page, Down migrations, hooks and timestamps.
var mutants = []mutant{
	// The audit's survivors.
	{Name: "csrf/delete-exempt", File: "web/csrf.go",
		From: "case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:",
		To:   "case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodDelete:"},
	{Name: "session/sign-out-keeps-session", File: "web/session.go",
		From: "func (s *session) signOut(c echo.Context) error { return s.end(c) }",
		To:   "func (s *session) signOut(c echo.Context) error { delete(s.raw.Values, keySID); s.dirty = true; return nil }"},
	{Name: "session/max-age-from-last-activity", File: "models/sessions.go",
		From: "absolute, idle := created.Add(l.Max), seen.Add(l.Idle)",
		To:   "absolute, idle := seen.Add(l.Max), seen.Add(l.Idle)",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "schema/postgres-fourth-status", File: "migrations/postgres/202512301001_create_tasks_table.sql",
		From: "'in_progress', 'completed')", To: "'in_progress', 'completed', 'cancelled')",
		Pkgs: []string{"./models/"}, Only: "postgres"},
	{Name: "headers/csp-unsafe-inline", File: "web/middleware.go",
		From: "script-src 'self';", To: "script-src 'self' 'unsafe-inline';"},
	{Name: "pagination/page-count-off-by-one", File: "models/list.go",
		From: "int((total+int64(perPage)-1)/int64(perPage))",
		To:   "int((total+int64(perPage))/int64(perPage))",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "migrations/sqlite-down-drops-wrong-index", File: "migrations/sqlite/202611261800_create_tasks_user_status_index.sql",
		From: "DROP INDEX IF EXISTS idx_tasks_user_status_created;", To: "DROP INDEX IF EXISTS idx_tasks_user_created;",
		Pkgs: []string{"./migrations/"}, Only: "sqlite"},
	{Name: "migrations/postgres-down-drops-wrong-index", File: "migrations/postgres/202611261800_create_tasks_user_status_index.sql",
		From: "DROP INDEX IF EXISTS idx_tasks_user_status_created;", To: "DROP INDEX IF EXISTS idx_tasks_user_created;",
		Pkgs: []string{"./migrations/"}, Only: "postgres"},
	{Name: "hooks/touch-does-not-set-updated-at", File: "models/models.go",
		From: "\ttx.Statement.SetColumn(\"UpdatedAt\", Now(), true)\n", To: "\n"},

	// Isolation: one user never reaches another's tasks.
	{Name: "isolation/task-by-id-unscoped", File: "models/tasks.go",
		From: "liveTasks(db, userID).Where(\"id = ?\", id).Take(&t)",
		To:   "db.Where(notTrashed).Where(\"id = ?\", id).Take(&t)"},
	{Name: "isolation/update-unscoped", File: "models/tasks.go",
		From: "liveTasks(db.Model(&t).Clauses(clause.Returning{}), userID).",
		To:   "db.Model(&t).Clauses(clause.Returning{}).Where(notTrashed)."},
	{Name: "isolation/delete-unscoped", File: "models/tasks.go",
		From: "liveTasks(db.Model(&Task{}), userID).Where(\"id = ?\", id).Update(\"deleted_at\", at)",
		To:   "db.Model(&Task{}).Where(notTrashed).Where(\"id = ?\", id).Update(\"deleted_at\", at)"},
	// The trash: live queries leave trashed tasks out; the purge keeps
	// what is younger than the retention.
	{Name: "trash/live-includes-trashed", File: "models/trash.go",
		From: "return q.Where(\"user_id = ?\", userID).Where(notTrashed)",
		To:   "return q.Where(\"user_id = ?\", userID)"},
	{Name: "trash/guard-ignores-trash", File: "models/guard.go",
		From: "case !hasTrashCondition(stmt):", To: "case false && !hasTrashCondition(stmt):"},
	{Name: "trash/purge-ignores-retention", File: "models/trash.go",
		From: "_, err := s.PurgeTrash(ctx, Now().Add(-retention))",
		To:   "_, err := s.PurgeTrash(ctx, Now())"},
	{Name: "isolation/guard-allows-or", File: "models/guard.go",
		From: "ok && len(or.Exprs) == 1 {", To: "ok && len(or.Exprs) == 0 {"},
	{Name: "isolation/guard-raw-allows-or", File: "models/guard.go",
		From: "(!rawOwnerCondition.MatchString(sql) || rawOr.MatchString(sql))",
		To:   "!rawOwnerCondition.MatchString(sql)"},

	// CSRF.
	{Name: "csrf/header-ignored", File: "web/csrf.go",
		From: "got := r.Header.Get(\"X-CSRF-Token\")", To: "got := \"\""},
	{Name: "csrf/empty-session-token-accepted", File: "web/csrf.go",
		From: "if want == \"\" || !maskedTokenMatches(", To: "if !maskedTokenMatches(",
		Accepted: "equivalent: every session the middleware hands on has a token (a new or expired one is reset with one); only a cookie signed with our keys but written without a token, which no release writes, could tell"},
	{Name: "csrf/same-mask-every-response", File: "web/csrf.go",
		From: "\trand.Read(pad)\n", To: "\t_ = rand.Read\n"},
	{Name: "csrf/pad-not-removed", File: "web/csrf.go",
		From: "subtle.XORBytes(masked, masked, pad)", To: "subtle.XORBytes(masked, secret, pad)"},
	{Name: "shutdown/silent-connections-kept", File: "web/serve.go",
		From: "if state == http.StateNew || state == http.StateIdle {", To: "if state == http.StateIdle {"},
	{Name: "account/password-check-skips-hash-gate", File: "web/account.go",
		From: "if err := h.hashing.run(c, func() { match = models.CheckPassword(u.HashedPassword, password) }); err != nil {",
		To:   "if match = models.CheckPassword(u.HashedPassword, password); false {\n\t\tvar err error"},
	{Name: "session/sign-in-keeps-session", File: "web/session.go",
		From: "\tif err := s.end(c); err != nil {\n\t\treturn err\n\t}\n\tr := c.Request()",
		To:   "\tr := c.Request()"},
	{Name: "session/no-idle-timeout", File: "models/sessions.go",
		From: "if idle.Before(absolute) {", To: "if false && idle.Before(absolute) {",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "auth/password-change-keeps-other-sessions", File: "models/users.go",
		From: "deleteSessions(tx, id, keepSession)", To: "deleteSessions(tx, 0, keepSession)",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "account/password-change-signs-self-out", File: "web/account.go",
		From: "h.store.SetPasswordHash(ctx, u.ID, hash, sessionFrom(c).recordID())",
		To:   "h.store.SetPasswordHash(ctx, u.ID, hash, 0)"},
	{Name: "account/delete-does-not-sign-out", File: "web/account.go",
		From: "\tif err := sessionFrom(c).signOut(c); err != nil {\n\t\treturn err\n\t}\n\tflash(c, views.FlashSuccess, deletedMessage(",
		To:   "\tflash(c, views.FlashSuccess, deletedMessage("},
	{Name: "auth/open-redirect", File: "web/auth.go",
		From: "strings.HasPrefix(next, \"//\") || ", To: ""},
	{Name: "auth/next-drops-query", File: "web/auth_middleware.go",
		From: "url.QueryEscape(r.URL.RequestURI())", To: "url.QueryEscape(r.URL.Path)"},
	{Name: "auth/no-dummy-hash-for-unknown-email", File: "web/auth.go",
		From: "case errors.Is(err, models.ErrNotFound):\n\t\tu = nil",
		To:   "case errors.Is(err, models.ErrNotFound):\n\t\treturn nil, errBadCredentials"},

	// Validation.
	{Name: "validate/title-201", File: "models/validate.go",
		From: "MaxTitleLen       = 200", To: "MaxTitleLen       = 201"},
	{Name: "validate/empty-title", File: "models/validate.go",
		From: "case title == \"\":", To: "case false:"},
	{Name: "validate/description-2001", File: "models/validate.go",
		From: "> MaxDescriptionLen:", To: "> MaxDescriptionLen+1:"},
	{Name: "validate/password-7", File: "models/validate.go",
		From: "case n < MinPasswordLen:", To: "case n < MinPasswordLen-1:"},
	{Name: "validate/email-case-kept", File: "models/validate.go",
		From: "return strings.ToLower(email)", To: "return email"},
	{Name: "validate/patch-title-not-trimmed", File: "models/validate.go",
		From: "t := strings.TrimSpace(*p.Title)", To: "t := *p.Title"},
	{Name: "validate/status-cancelled", File: "models/models.go",
		From: "case StatusPending, StatusInProgress, StatusCompleted:\n\t\treturn true",
		To:   "case StatusPending, StatusInProgress, StatusCompleted, \"cancelled\":\n\t\treturn true"},
	{Name: "validate/argon-memory-unbounded", File: "models/password.go",
		From: "p.memory > maxArgonMemoryKiB || ", To: ""},
	{Name: "web/put-and-patch-swapped", File: "web/tasks_update.go",
		From: "form.parse(c, c.Request().Method == http.MethodPut)", To: "form.parse(c, c.Request().Method == http.MethodPatch)"},
	{Name: "web/task-id-leading-zero", File: "views/paths.go",
		From: " || s[0] == '0' {", To: " {",
		Pkgs: []string{"./views/", "./web/"}},

	// Rate limits.
	{Name: "ratelimit/login-account-key-not-normalized", File: "web/auth.go",
		From: "{h.account, \"login:\" + email}", To: "{h.account, \"login:\" + f.Email}"},
	{Name: "ratelimit/no-login-per-ip", File: "web/auth.go",
		From: "[]limitKey{{h.loginIP, addressKey(c.RealIP())}, {h.account", To: "[]limitKey{{h.account"},
	{Name: "ratelimit/retry-after-rounds-down", File: "web/ratelimit.go",
		From: "max(1, int(math.Ceil(wait.Seconds())))", To: "int(math.Floor(wait.Seconds()))"},
	{Name: "ratelimit/password-check-per-request", File: "web/account.go",
		From: "limitKey{h.passwordChecks, strconv.FormatInt(u.ID, 10)}",
		To:   "limitKey{h.passwordChecks, c.Response().Header().Get(echo.HeaderXRequestID) + strconv.FormatInt(u.ID, 10)}"},

	// Fragment or page, and the error pages.
	{Name: "render/fragment-without-htmx", File: "web/render.go",
		From: "if fragment != nil && wantsFragment(c) {\n\t\tcomp = fragment", To: "if fragment != nil {\n\t\tcomp = fragment"},
	{Name: "render/no-vary", File: "web/render.go",
		From: "\th.Add(\"Vary\", \"HX-Request\")\n", To: "\n"},
	{Name: "render/cacheable", File: "web/render.go",
		From: "\th.Set(\"Cache-Control\", \"no-store\")\n", To: "\n"},
	{Name: "errors/htmx-error-not-retargeted", File: "web/render.go",
		From: "\t\th.Set(\"HX-Retarget\", \"#messages\")\n", To: "\n"},
	{Name: "errors/unavailable-is-500", File: "web/errors.go",
		From: "\t\tstatus = http.StatusServiceUnavailable\n", To: "\t\tstatus = http.StatusInternalServerError\n"},
	{Name: "errors/500-not-logged", File: "web/errors.go",
		From: "\tif status >= 500 {\n\t\t// The request logger", To: "\tif status > 500 {\n\t\t// The request logger",
		Accepted: "equivalent: the request logger writes an Error line with the id and the same error chain for every 5xx; the error handler's own line is a second copy"},
	{Name: "tasks/delete-no-refresh-event", File: "web/tasks_delete.go",
		From: "\t\tnotify(c, taskEvent)\n", To: "\n"},

	// Listing.
	{Name: "list/ties-in-wrong-order", File: "models/list.go",
		From: "return q.Order(\"created_at DESC\").Order(\"id DESC\")", To: "return q.Order(\"created_at DESC\").Order(\"id ASC\")"},
	{Name: "list/page-not-clamped", File: "models/list.go",
		From: "p.Page = min(max(opts.Page, 1), p.Pages)", To: "p.Page = max(opts.Page, 1)"},
	{Name: "list/percent-not-escaped", File: "models/list.go",
		From: "`\\`, `\\\\`, `%`, `\\%`, ", To: "`\\`, `\\\\`, "},

	// Errors at the models boundary.
	{Name: "errors/sqlite-missing-owner-is-invalid", File: "models/errors.go",
		From: "case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:\n\t\t\treturn fmt.Errorf(\"%s: %w\", op, ErrNotFound)",
		To:   "case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:\n\t\t\treturn fmt.Errorf(\"%s: %w\", op, ErrInvalid)",
		Only: "sqlite"},
	{Name: "errors/postgres-missing-owner-is-invalid", File: "models/errors.go",
		From: "case pgErr.Code == pgForeignKeyViolation:\n\t\t\treturn fmt.Errorf(\"%s: %w\", op, ErrNotFound)",
		To:   "case pgErr.Code == pgForeignKeyViolation:\n\t\t\treturn fmt.Errorf(\"%s: %w\", op, ErrInvalid)",
		Only: "postgres"},
	{Name: "users/delete-missing-is-fine", File: "models/accounts_deleted.go",
		From: "\t\tif res.RowsAffected == 0 {\n\t\t\treturn fmt.Errorf(\"models: delete user: %w\", ErrNotFound)\n\t\t}\n", To: ""},
	{Name: "users/deleted-account-signs-in", File: "models/users.go",
		From: "\"lower(email) = ? AND deleted_at IS NULL\"", To: "\"lower(email) = ?\"",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "users/deleted-account-keeps-sessions", File: "models/accounts_deleted.go",
		From: "_, err := deleteSessions(tx, id, 0)\n\t\treturn err", To: "return nil",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "users/session-of-deleted-account-found", File: "models/sessions.go",
		From: " AND u.deleted_at IS NULL`", To: "`",
		Pkgs: []string{"./models/", "./web/"}},
	{Name: "users/purge-ignores-retention", File: "models/accounts_deleted.go",
		From: "cutoff := dbTime(now).Add(-s.accountRetention)", To: "cutoff := dbTime(now)"},
	{Name: "users/purge-off-by-one-boundary", File: "models/accounts_deleted.go",
		From: "deleted_at <= ?\", cutoff", To: "deleted_at < ?\", cutoff.Add(time.Hour)"},
	{Name: "users/restore-past-retention", File: "models/accounts_deleted.go",
		From: "case !s.ErasesAt(*u.DeletedAt).After(dbTime(now)):", To: "case false:"},

	// Hooks and timestamps.
	{Name: "hooks/created-at-not-omitted", File: "models/models.go",
		From: "\ttx.Statement.Omit(\"CreatedAt\")\n", To: "\n",
		Accepted: "equivalent: the <-:create tag on CreatedAt already keeps it out of every update; Omit is a second lock on the same door"},
	{Name: "tasks/update-returns-only-id", File: "models/tasks.go",
		From: "Clauses(clause.Returning{})", To: "Clauses(clause.Returning{Columns: []clause.Column{{Name: \"id\"}}})",
	},
	{Name: "timestamps/updated-differs-from-created", File: "models/models.go",
		From: "\t\tupdated = created\n", To: "\t\tupdated = Now()\n"},
	{Name: "timestamps/sqlite-trigger-always-fires", File: "migrations/sqlite/202512301001_create_tasks_table.sql",
		From: "    FOR EACH ROW\n    WHEN NEW.updated_at IS OLD.updated_at\n", To: "    FOR EACH ROW\n",
		Only: "sqlite"},

	// Down migrations.
	{Name: "migrations/postgres-down-keeps-function", File: "migrations/postgres/202512301000_create_users_table.sql",
		From: "DROP FUNCTION IF EXISTS update_updated_at_column();\n", To: "",
		Pkgs: []string{"./migrations/"}, Only: "postgres"},
	{Name: "migrations/sqlite-down-keeps-status-index", File: "migrations/sqlite/202611261800_create_tasks_user_status_index.sql",
		From: "-- +goose Down\nDROP INDEX IF EXISTS idx_tasks_user_status_created;", To: "-- +goose Down\nSELECT 1;",
		Pkgs: []string{"./migrations/"}, Only: "sqlite"},
}
