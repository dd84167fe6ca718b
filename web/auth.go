package web

import (
	"context"
	"crypto/rand"
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
	dummyHash  string
	loginIP    *limiter
	registerIP *limiter
	account    *limiter // keyed by "login:" or "register:" + normalized email
}

// NewAuthHandler returns the auth handlers, with their own rate limiters.
func NewAuthHandler(store authStore, limits RateLimits, logger *slog.Logger) (*AuthHandler, error) {
	limits.setDefaults()
	dummy, err := models.HashPassword(rand.Text())
	if err != nil {
		return nil, fmt.Errorf("web: dummy password hash: %w", err)
	}
	return &AuthHandler{
		store:      store,
		logger:     logger,
		dummyHash:  dummy,
		loginIP:    newLimiter(limits.LoginPerIP),
		registerIP: newLimiter(limits.RegisterPerIP),
		account:    newLimiter(limits.PerAccount),
	}, nil
}

// Routes registers the auth routes: guest for signed-out pages, signedIn
// for logout.
func (h *AuthHandler) Routes(guest, signedIn router) {
	guest.GET(views.PathRegister, h.registerPage)
	guest.POST(views.PathRegister, h.register)
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

func (h *AuthHandler) register(c echo.Context) error {
	var f registerForm
	f.parse(c)
	if err := takeTokens(c,
		limitKey{h.registerIP, c.RealIP()},
		limitKey{h.account, "register:" + models.NormalizeEmail(f.Email)},
	); err != nil {
		return err
	}
	if !f.validate() {
		return render(c, http.StatusUnprocessableEntity, views.Register(f.view()), nil)
	}
	hash, err := models.HashPassword(f.Password)
	if err != nil {
		return err
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
	sessionFrom(c).signIn(u)
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

func (h *AuthHandler) login(c echo.Context) error {
	var f loginForm
	f.parse(c)
	if err := takeTokens(c,
		limitKey{h.loginIP, c.RealIP()},
		limitKey{h.account, "login:" + models.NormalizeEmail(f.Email)},
	); err != nil {
		return err
	}
	if !f.validate() {
		return render(c, http.StatusUnprocessableEntity, views.Login(f.view()), nil)
	}
	u, err := h.authenticate(c.Request().Context(), f.Email, f.Password)
	if errors.Is(err, errBadCredentials) {
		f.Error = msgBadCredentials
		return render(c, http.StatusUnprocessableEntity, views.Login(f.view()), nil)
	}
	if err != nil {
		return err
	}
	sessionFrom(c).signIn(u)
	if f.Next != "" {
		return redirect(c, f.Next)
	}
	return redirect(c, views.PathTasks)
}

var errBadCredentials = errors.New("web: email or password is incorrect")

// authenticate returns the account for email if password is its password.
// Either way it verifies one argon2id hash, so an unknown email and a wrong
// password take the same time and give the same error.
func (h *AuthHandler) authenticate(ctx context.Context, email, password string) (*models.User, error) {
	u, err := h.store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		models.CheckPassword(h.dummyHash, password)
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if !models.CheckPassword(u.HashedPassword, password) {
		return nil, errBadCredentials
	}
	return u, nil
}

func (h *AuthHandler) logout(c echo.Context) error {
	sessionFrom(c).signOut()
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
