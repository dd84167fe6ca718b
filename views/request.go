// Package views renders taskapp's HTML with templ. Each page takes one view
// model; request-wide values (the CSRF token, the signed-in user, flash
// messages, asset URLs) travel in the context and are read through the
// typed getters in this file, so no component needs them as arguments.
package views

import "context"

// FlashKind says how a flash message is styled and announced.
type FlashKind string

// The kinds of flash message.
const (
	FlashSuccess FlashKind = "success"
	FlashError   FlashKind = "error"
)

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    FlashKind
	Message string
	// Undo, when set, names a deletion (see UndoToken) that the message
	// offers to undo with a button; Back is the list to return to after.
	Undo string
	Back string
}

// Request holds what every page of one request needs.
type Request struct {
	CSRFToken string
	UserEmail string // "" when signed out
	// Shortcuts is the signed-in user's keyboard shortcuts setting; the
	// page hands it to app.js in a data attribute.
	Shortcuts bool
	Flashes   []Flash
	RequestID string
	Path      string              // the request path, for marking the current nav link
	Asset     func(string) string // static file name → its cache-busted URL
	// RegistrationClosed hides the links to the registration page.
	RegistrationClosed bool
}

type requestKey struct{}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request data in ctx, or an empty Request (never
// nil) so that components render even outside a real request, as in tests.
func RequestFrom(ctx context.Context) *Request {
	if r, ok := ctx.Value(requestKey{}).(*Request); ok {
		return r
	}
	return &Request{Asset: func(name string) string { return "/static/" + name }}
}

func csrfToken(ctx context.Context) string { return RequestFrom(ctx).CSRFToken }

func registrationOpen(ctx context.Context) bool { return !RequestFrom(ctx).RegistrationClosed }
func userEmail(ctx context.Context) string      { return RequestFrom(ctx).UserEmail }
func asset(ctx context.Context, name string) string {
	return RequestFrom(ctx).Asset(name)
}
