package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/models/taskfile"
	"taskapp/views"
)

// accountStore is what the account pages need from the store.
type accountStore interface {
	UserByID(ctx context.Context, id int64) (*models.User, error)
	SetPasswordHash(ctx context.Context, id int64, hashedPassword string, keepSession int64) error
	DeleteUser(ctx context.Context, id int64) (time.Time, error)
	AccountRetention() time.Duration
	SetKeyboardShortcuts(ctx context.Context, id int64, on bool) error
	SessionsOf(ctx context.Context, userID int64, now time.Time) ([]models.Session, error)
	DeleteSession(ctx context.Context, userID, id int64) error
	DeleteSessions(ctx context.Context, userID, keep int64) (int64, error)
	CountTasks(ctx context.Context, userID int64, opts models.ListOptions) (models.ListCounts, error)
	SetTimeZone(ctx context.Context, id int64, name string) error
	EachTask(ctx context.Context, userID int64, fn func(*models.Task) error) error
	ImportTasks(ctx context.Context, userID int64, ins []models.TaskInput) (int, error)
}

// AccountHandler serves the account page, password change and deletion.
type AccountHandler struct {
	store accountStore
	// passwordChecks bounds guesses at the current password by whoever
	// holds a session (a borrowed laptop, a stolen cookie), per account.
	passwordChecks *limiter
	// hashing is the server's one password-hash gate, shared with
	// sign-in and registration: checking the current password and
	// hashing a new one cost 19 MiB each like theirs.
	hashing *hashGate
	now     func() time.Time // the sessions' clock
}

// NewAccountHandler returns the account handlers.
func NewAccountHandler(store accountStore, limits RateLimits, hashing *hashGate, now func() time.Time) *AccountHandler {
	limits.setDefaults()
	return &AccountHandler{store: store, passwordChecks: limits.limiter("password-check", limits.PerAccount), hashing: hashing, now: now}
}

// Routes registers the account routes on a signed-in group.
func (h *AccountHandler) Routes(r router) {
	r.GET(views.PathAccount, h.show)
	r.POST(views.PathAccountPassword, h.changePassword)
	r.POST(views.PathAccountDelete, h.deleteAccount)
	r.DELETE(views.PathAccountSession, h.endSession)
	r.DELETE(views.PathAccountSessions, h.endOtherSessions)
	r.POST(views.PathAccountKeyboard, h.setShortcuts)
	r.POST(views.PathAccountTimeZone, h.setTimeZone)
	r.GET(views.PathAccountExportCSV, h.export(taskfile.CSV))
	r.GET(views.PathAccountExportJSON, h.export(taskfile.JSON))
	r.POST(views.PathAccountImport, h.importTasks)
}

// passwordForm changes the password of the signed-in account.
type passwordForm struct {
	Current, Password, Confirm string
	Errors                     models.FieldErrors
}

func (f *passwordForm) parse(c echo.Context) {
	f.Current = c.FormValue("current_password")
	f.Password = c.FormValue("password")
	f.Confirm = c.FormValue("password_confirm")
}

func (f *passwordForm) validate() bool {
	f.Errors = models.FieldErrors{}
	if f.Current == "" {
		f.Errors["current_password"] = "Enter your current password."
	}
	if msg := models.ValidatePassword(f.Password); msg != "" {
		f.Errors["password"] = msg
	}
	if msg := confirmError(f.Password, f.Confirm); msg != "" {
		f.Errors["password_confirm"] = msg
	}
	return len(f.Errors) == 0
}

// deleteForm deletes the signed-in account; the password confirms it.
type deleteForm struct {
	Password string
	Errors   models.FieldErrors
}

func (f *deleteForm) parse(c echo.Context) { f.Password = c.FormValue("password") }

func (f *deleteForm) validate() bool {
	f.Errors = models.FieldErrors{}
	if f.Password == "" {
		f.Errors["password"] = "Enter your password to confirm."
	}
	return len(f.Errors) == 0
}

const msgWrongPassword = "That is not your current password."

func (h *AccountHandler) show(c echo.Context) error {
	return h.render(c, http.StatusOK, views.AccountPage{})
}

// render draws the account page with p's forms; the account's details are
// filled in here.
func (h *AccountHandler) render(c echo.Context, status int, p views.AccountPage) error {
	u := currentUser(c)
	counts, err := h.store.CountTasks(c.Request().Context(), u.ID, models.ListOptions{})
	if err != nil {
		return err
	}
	p.Email, p.MemberSince, p.Tasks, p.Shortcuts = u.Email, u.CreatedAt, counts.All(), u.KeyboardShortcuts
	p.Retention = h.store.AccountRetention()
	if p.Sessions, err = h.sessionsView(c); err != nil {
		return err
	}
	if p.TimeZoneErrors == nil && u.TimeZone != nil {
		p.TimeZone = *u.TimeZone
	}
	p.ZoneNow = userLocation(c).String()
	return render(c, status, views.Account(p), nil)
}

// checkPassword verifies the signed-in user's password, within the
// account's rate limit and through the hash gate.
func (h *AccountHandler) checkPassword(c echo.Context, password string) (bool, error) {
	u := currentUser(c)
	if err := takeTokens(c, limitKey{h.passwordChecks, strconv.FormatInt(u.ID, 10)}); err != nil {
		return false, err
	}
	var match bool
	if err := h.hashing.run(c, func() { match = models.CheckPassword(u.HashedPassword, password) }); err != nil {
		return false, err
	}
	return match, nil
}

func (h *AccountHandler) changePassword(c echo.Context) error {
	var f passwordForm
	f.parse(c)
	invalid := func() error {
		return h.render(c, http.StatusUnprocessableEntity, views.AccountPage{PasswordErrors: f.Errors})
	}
	if !f.validate() {
		return invalid()
	}
	ok, err := h.checkPassword(c, f.Current)
	if err != nil {
		return err
	}
	if !ok {
		f.Errors["current_password"] = msgWrongPassword
		return invalid()
	}
	var hash string
	var hashErr error
	if err := h.hashing.run(c, func() { hash, hashErr = models.HashPassword(f.Password) }); err != nil {
		return err
	}
	if hashErr != nil {
		return hashErr
	}
	ctx := c.Request().Context()
	u := currentUser(c)
	// Every other session ends with the old password; this one stays.
	if err := h.store.SetPasswordHash(ctx, u.ID, hash, sessionFrom(c).recordID()); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "Your password has been changed. Any other sessions were signed out.")
	return redirect(c, views.PathAccount)
}

func (h *AccountHandler) deleteAccount(c echo.Context) error {
	var f deleteForm
	f.parse(c)
	invalid := func() error {
		return h.render(c, http.StatusUnprocessableEntity, views.AccountPage{DeleteErrors: f.Errors})
	}
	if !f.validate() {
		return invalid()
	}
	ok, err := h.checkPassword(c, f.Password)
	if err != nil {
		return err
	}
	if !ok {
		f.Errors["password"] = msgWrongPassword
		return invalid()
	}
	// Already gone (deleted from another session a moment ago) is what
	// was asked for, too.
	erases, err := h.store.DeleteUser(c.Request().Context(), currentUser(c).ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	// The store ended every session with the account.
	if err := sessionFrom(c).signOut(c); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, deletedMessage(erases))
	return redirect(c, views.PathLogin)
}

// setShortcuts turns the task list's keyboard shortcuts on or off. An
// unticked checkbox sends nothing, so a missing field means off.
func (h *AccountHandler) setShortcuts(c echo.Context) error {
	on := c.FormValue("keyboard_shortcuts") == "on"
	if err := h.store.SetKeyboardShortcuts(c.Request().Context(), currentUser(c).ID, on); err != nil {
		return err
	}
	if on {
		flash(c, views.FlashSuccess, "Keyboard shortcuts are on.")
	} else {
		flash(c, views.FlashSuccess, "Keyboard shortcuts are off.")
	}
	return redirect(c, views.PathAccount)
}

// setTimeZone is POST /account/time-zone: the zone "today" is counted in,
// for people whose browser does not say (no JavaScript) or says wrong.
func (h *AccountHandler) setTimeZone(c echo.Context) error {
	name := c.FormValue("time_zone")
	err := h.store.SetTimeZone(c.Request().Context(), currentUser(c).ID, name)
	var refused *models.ValidationError
	if errors.As(err, &refused) {
		return h.render(c, http.StatusUnprocessableEntity, views.AccountPage{TimeZone: models.Printable(name), TimeZoneErrors: refused.Fields})
	}
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "Your time zone has been saved.")
	return redirect(c, views.PathAccount)
}

// deletedMessage is the flash after the account was deleted; erases is
// when it will be erased, zero if another session deleted it first.
func deletedMessage(erases time.Time) string {
	if erases.IsZero() {
		return "Your account has been deleted and signed out everywhere."
	}
	return "Your account has been deleted and signed out everywhere. It and its tasks will be erased on " +
		views.Date(erases) + "; until then, whoever runs this taskapp can restore it."
}
