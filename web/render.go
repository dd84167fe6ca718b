package web

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"taskapp/static"
	"taskapp/views"
)

// viewRequest gives the views what every page needs, through the context.
// It runs before anything that can fail, so that even an early error page
// links its styles; render adds the session's part when it draws.
func viewRequest(assets *static.Assets, registrationClosed bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			vr := &views.Request{
				RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
				Path:      r.URL.Path,
				Asset:     assets.Path,

				RegistrationClosed: registrationClosed,
			}
			// In place, not c.SetRequest: this runs in Echo's Pre chain,
			// and Echo routes the *http.Request it was given, whose Method
			// the override after this may still change.
			*r = *r.WithContext(views.WithRequest(r.Context(), vr))
			return next(c)
		}
	}
}

// The htmx side of every response is decided in this file, and only here:
// whether a request gets a fragment or the whole page, and every HX-*
// response header. Handlers say what changed; these functions say how.

// htmxRequest reports whether htmx sent the request at all, boosted or
// not: such a request follows no 303 and swaps even an error response.
func htmxRequest(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// wantsFragment reports whether htmx sent the request and expects a
// fragment: boosted links and history restores want whole pages.
func wantsFragment(c echo.Context) bool {
	h := c.Request().Header
	return htmxRequest(c) && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}

// render writes page, or only fragment when htmx asked for one (fragment
// may be nil when a route has none). Flash messages queued in the session
// go with either: inside the page, or as an out-of-band swap of the message
// area after the fragment.
func render(c echo.Context, status int, page, fragment templ.Component) error {
	ctx := c.Request().Context()
	vr := views.RequestFrom(ctx)
	if s := sessionFrom(c); s != nil {
		vr.Flashes = s.popFlashes()
		// Masked afresh for every response: see maskToken.
		vr.CSRFToken = maskToken(s.csrfToken())
	}
	if u := currentUser(c); u != nil {
		vr.UserEmail = u.Email
		vr.Shortcuts = u.KeyboardShortcuts
	}
	comp := page
	if fragment != nil && wantsFragment(c) {
		comp = fragment
		if len(vr.Flashes) > 0 {
			comp = templ.Join(fragment, views.Messages(true))
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Add("Vary", "HX-Request")
	// Pages show private data: never store them in shared caches, and
	// don't let back-button caches show them after sign-out.
	h.Set("Cache-Control", "no-store")
	if c.Request().Method == http.MethodHead {
		c.Response().WriteHeader(status)
		return nil
	}
	// Render whole, then send: one write to the connection instead of one
	// per 4 KB (under load those write calls were a seventh of the task
	// list's CPU), a Content-Length instead of chunking, and a failure
	// half-way through becomes the error page instead of half a page
	// under a 200.
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// renderBuffers recycles the buffers pages are rendered into; a list page
// of 100 tasks is about 150 KB.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // let an unusually large page's buffer go
	}
	b.Reset()
	renderBuffers.Put(b)
}

// renderPage renders fragment for htmx, and otherwise the page that build
// returns. build runs only when the page is needed, since it may query.
func renderPage(c echo.Context, status int, build func() (templ.Component, error), fragment templ.Component) error {
	if fragment != nil && wantsFragment(c) {
		return render(c, status, nil, fragment)
	}
	page, err := build()
	if err != nil {
		return err
	}
	return render(c, status, page, fragment)
}

// renderError draws an error page, or for htmx, which swaps error
// responses too (see views.htmxConfig), the message alone in the message
// area, whatever the element that asked.
func renderError(c echo.Context, status int, page views.ErrorPage) error {
	if htmxRequest(c) {
		h := c.Response().Header()
		h.Set("HX-Retarget", "#messages")
		h.Set("HX-Reswap", "innerHTML")
		return render(c, status, views.ErrorFlash(page), nil)
	}
	return render(c, status, views.Error(page), nil)
}

// respond answers a change that succeeded: a plain form is redirected to
// url, and htmx gets what fragment writes (the part of the page that
// changed), which runs only then, since it may query.
func respond(c echo.Context, url string, fragment func() error) error {
	if !wantsFragment(c) {
		return redirect(c, url)
	}
	return fragment()
}

// emptyFragment is an empty 200 for htmx: the element that asked swaps
// itself away (a deleted row). Flash messages stay queued for the next
// fragment.
func emptyFragment(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.NoContent(http.StatusOK)
}

// liveRefresh reports whether static/app.js sent the request to bring the
// list up to date after an event: nothing the person did, so no history.
func liveRefresh(c echo.Context) bool { return c.Request().Header.Get("X-Live-Refresh") == "true" }

// pushURL has htmx put url in the address bar as a new history entry,
// unless the request is a live refresh.
func pushURL(c echo.Context, url string) {
	if wantsFragment(c) && !liveRefresh(c) {
		c.Response().Header().Set("HX-Push-Url", url)
	}
}

// replaceURL has htmx show url in the address bar, replacing the current
// history entry (a list redrawn at another page than the one asked for).
func replaceURL(c echo.Context, url string) {
	if wantsFragment(c) {
		c.Response().Header().Set("HX-Replace-Url", url)
	}
}

// replaceRegion has htmx swap the response in place of target (instead of
// the element that asked) and show url in the address bar, replacing the
// current history entry.
func replaceRegion(c echo.Context, target, url string) {
	h := c.Response().Header()
	h.Set("HX-Retarget", target)
	h.Set("HX-Reswap", "outerHTML")
	h.Set("HX-Replace-Url", url)
}

// notify has htmx fire event on the page once the response is swapped in.
func notify(c echo.Context, event string) {
	c.Response().Header().Set("HX-Trigger", event)
}

// redirect sends a 303 to url; for htmx, which would follow a 303 and
// swap the result in place, it asks for a full navigation with HX-Redirect.
func redirect(c echo.Context, url string) error {
	if htmxRequest(c) {
		c.Response().Header().Set("HX-Redirect", url)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, url)
}

// flash queues a message for the next page or fragment rendered.
func flash(c echo.Context, kind views.FlashKind, msg string) {
	sessionFrom(c).addFlash(kind, msg)
}

// flashUndo queues a success message about the deletion stamped at, with
// an Undo button that returns to the list at back.
func flashUndo(c echo.Context, msg string, at time.Time, back string) {
	sessionFrom(c).addUndoFlash(msg, views.UndoToken(at), back)
}
