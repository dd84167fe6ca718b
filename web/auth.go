package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// authStore is what sign-in and registration need from the store.
type authStore interface {
	CreateUser(ctx context.Context, email, hashedPassword string) (*models.User, error)
	UserByEmail(ctx context.Context, email string) (*models.User, error)
}

// AuthHandler serves registration, sign-in and sign-out.
type AuthHandler struct {
	store  authStore
	logger *slog.Logger
	// dummyHash is checked against when no account has the email, so an
	// unknown email costs the same argon2id work as a wrong password and
	// response times don't tell which emails have accounts.
	dummyHash          string
	registrationClosed bool
	hashing            *hashGate
	devices            *deviceCookies
	loginIP            *limiter // keyed by addressKey
	registerIP         *limiter // keyed by addressKey
	account            *limiter // keyed by "login:" or "register:" + normalized email
	device             *limiter // keyed by a device cookie's nonce
}

// authConfig is what the auth handlers need beyond the store.
type authConfig struct {
	limits             RateLimits
	registrationClosed bool
	hashing            *hashGate
	devices            *deviceCookies
	logger             *slog.Logger
}

// newAuthHandler returns the auth handlers, with their own rate limiters.
func newAuthHandler(store authStore, cfg authConfig) (*AuthHandler, error) {
	cfg.limits.setDefaults()
	dummy, err := models.UnmatchableHash()
	if err != nil {
		return nil, fmt.Errorf("web: dummy password hash: %w", err)
	}
	return &AuthHandler{
		store:              store,
		logger:             cfg.logger,
		dummyHash:          dummy,
		registrationClosed: cfg.registrationClosed,
		hashing:            cfg.hashing,
		devices:            cfg.devices,
		loginIP:            cfg.limits.limiter("login-ip", cfg.limits.LoginPerIP),
		registerIP:         cfg.limits.limiter("register-ip", cfg.limits.RegisterPerIP),
		account:            cfg.limits.limiter("account", cfg.limits.PerAccount),
		device:             cfg.limits.limiter("device", cfg.limits.PerDevice),
	}, nil
}

// Routes registers the auth routes: guest for signed-out pages, signedIn
// for logout.
func (h *AuthHandler) Routes(guest, signedIn router) {
	register := []echo.MiddlewareFunc{h.requireOpenRegistration}
	guest.GET(views.PathRegister, h.registerPage, register...)
	guest.POST(views.PathRegister, h.register, register...)
	guest.GET(views.PathLogin, h.loginPage)
	guest.POST(views.PathLogin, h.login)
	signedIn.POST(views.PathLogout, h.logout)
}

// Messages that more than one place shows.
const (
	msgBadCredentials = "Email or password is incorrect."
	msgEnterPassword  = "Enter your password."
	msgConfirm        = "Enter the same password again."
	msgMismatch       = "The passwords don't match."
)

// registerForm is the registration form: parse, validate, act.
type registerForm struct {
	Email, Password, Confirm string
	Errors                   models.FieldErrors
}

func (f *registerForm) parse(c echo.Context) {
	f.Email = c.FormValue("email")
	f.Password = c.FormValue("password")
	f.Confirm = c.FormValue("password_confirm")
}

// validate checks each field on its own; a taken email is found only by
// trying to create the account.
func (f *registerForm) validate() bool {
	f.Errors = models.FieldErrors{}
	if msg := models.ValidateEmail(models.NormalizeEmail(f.Email)); msg != "" {
		f.Errors["email"] = msg
	}
	if msg := models.ValidatePassword(f.Password); msg != "" {
		f.Errors["password"] = msg
	}
	if msg := confirmError(f.Password, f.Confirm); msg != "" {
		f.Errors["password_confirm"] = msg
	}
	return len(f.Errors) == 0
}

// view shows the form again with the email kept and the passwords not.
func (f *registerForm) view() views.RegisterPage {
	return views.RegisterPage{Email: models.Printable(f.Email), Errors: f.Errors}
}

func confirmError(password, confirm string) string {
	switch {
	case confirm == "":
		return msgConfirm
	case confirm != password:
		return msgMismatch
	}
	return ""
}

func (h *AuthHandler) registerPage(c echo.Context) error {
	return render(c, http.StatusOK, views.Register(views.RegisterPage{}), nil)
}

// requireOpenRegistration answers /register with 403 and a page that
// says so when the operator closed registration (REGISTRATION=closed).
func (h *AuthHandler) requireOpenRegistration(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !h.registrationClosed {
			return next(c)
		}
		return render(c, http.StatusForbidden, views.Error(views.ErrorPage{
			Status:  http.StatusForbidden,
			Title:   "Registration is closed",
			Message: "This taskapp does not take new accounts. Ask whoever runs it to create one for you.",
		}), nil)
	}
}

func (h *AuthHandler) register(c echo.Context) error {
	var f registerForm
	f.parse(c)
	if err := takeTokens(c,
		limitKey{h.registerIP, addressKey(c.RealIP())},
		limitKey{h.account, "register:" + models.NormalizeEmail(f.Email)},
	); err != nil {
		return err
	}
	if !f.validate() {
		return render(c, http.StatusUnprocessableEntity, views.Register(f.view()), nil)
	}
	var hash string
	var hashErr error
	if err := h.hashing.run(c, func() { hash, hashErr = models.HashPassword(f.Password) }); err != nil {
		return err
	}
	if hashErr != nil {
		return hashErr
	}
	u, err := h.store.CreateUser(c.Request().Context(), f.Email, hash)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		f.Errors = invalid.Fields
		return render(c, http.StatusUnprocessableEntity, views.Register(f.view()), nil)
	}
	if err != nil {
		return err
	}
	if err := sessionFrom(c).signIn(c, u); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "Welcome to taskapp! Your account is ready.")
	return redirect(c, views.PathTasks)
}

// loginForm is the sign-in form. Error is the form-level message, which
// never says whether the email or the password was wrong.
type loginForm struct {
	Email, Password string
	Next            string // a safe local path, or ""
	Errors          models.FieldErrors
	Error           string
}

func (f *loginForm) parse(c echo.Context) {
	f.Email = c.FormValue("email")
	f.Password = c.FormValue("password")
	f.Next = safeNext(c.FormValue("next"))
}

func (f *loginForm) validate() bool {
	f.Errors = models.FieldErrors{}
	if msg := models.ValidateEmail(models.NormalizeEmail(f.Email)); msg != "" {
		f.Errors["email"] = msg
	}
	if f.Password == "" {
		f.Errors["password"] = msgEnterPassword
	}
	return len(f.Errors) == 0
}

func (f *loginForm) view() views.LoginPage {
	return views.LoginPage{Email: models.Printable(f.Email), Next: f.Next, Error: f.Error, Errors: f.Errors}
}

func (h *AuthHandler) loginPage(c echo.Context) error {
	p := views.LoginPage{Next: safeNext(c.QueryParam("next"))}
	return render(c, http.StatusOK, views.Login(p), nil)
}

// login signs in. Each attempt takes a token from its buckets up front
// (so concurrent guesses cannot overdraw them) and a successful one gives
// them back: only failures cost anything. A browser with a device cookie
// for the account draws on its own bucket alone; every other client draws
// on its address's bucket and on the pool all unknown clients share for
// that account, which an attacker can empty without touching the owner's.
func (h *AuthHandler) login(c echo.Context) error {
	var f loginForm
	f.parse(c)
	email := models.NormalizeEmail(f.Email)
	buckets := []limitKey{{h.loginIP, addressKey(c.RealIP())}, {h.account, "login:" + email}}
	if nonce := h.devices.nonce(c, email); nonce != "" {
		buckets = []limitKey{{h.device, nonce}}
	}
	refund, err := reserveTokens(c, buckets...)
	if err != nil {
		return err
	}
	if !f.validate() {
		return render(c, http.StatusUnprocessableEntity, views.Login(f.view()), nil)
	}
	u, err := h.authenticate(c, f.Email, f.Password)
	if errors.Is(err, errBadCredentials) {
		f.Error = msgBadCredentials
		return render(c, http.StatusUnprocessableEntity, views.Login(f.view()), nil)
	}
	if err != nil {
		// Nothing was tried; the error that stopped it is the one to report.
		if rerr := refund(); rerr != nil {
			h.logger.Warn("web: sign-in", "err", rerr)
		}
		return err
	}
	if err := refund(); err != nil {
		// The owner signs in all the same; the token stays spent.
		h.logger.Warn("web: sign-in", "err", err)
	}
	if err := h.devices.issue(c, email); err != nil {
		return fmt.Errorf("web: device cookie: %w", err)
	}
	if err := sessionFrom(c).signIn(c, u); err != nil {
		return err
	}
	if f.Next != "" {
		return redirect(c, f.Next)
	}
	return redirect(c, views.PathTasks)
}

var errBadCredentials = errors.New("web: email or password is incorrect")

// authenticate returns the account for email if password is its password.
// Either way it verifies one argon2id hash, so an unknown email and a wrong
// password take the same time and give the same error.
func (h *AuthHandler) authenticate(c echo.Context, email, password string) (*models.User, error) {
	u, err := h.store.UserByEmail(c.Request().Context(), email)
	hash := h.dummyHash
	switch {
	case errors.Is(err, models.ErrNotFound):
		u = nil
	case err != nil:
		return nil, err
	default:
		hash = u.HashedPassword
	}
	var match bool
	if err := h.hashing.run(c, func() { match = models.CheckPassword(hash, password) }); err != nil {
		return nil, err
	}
	if u == nil || !match {
		return nil, errBadCredentials
	}
	return u, nil
}

func (h *AuthHandler) logout(c echo.Context) error {
	if err := sessionFrom(c).signOut(c); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "You have logged out.")
	return redirect(c, views.PathLogin)
}

// safeNext returns next if it is a path on this site, else "". Only a
// single leading slash is allowed: "//host" and "/\host" are taken by
// browsers as another host, and browsers drop tabs and newlines from URLs,
// so "/\t/host" is refused too.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return ""
	}
	if strings.ContainsFunc(next, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\\' }) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}
