//go:build browser

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/static"
	"taskapp/web"
)

// chromiumPath is Debian's Chromium, which CI installs with apt.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds each browser action and each wait, so that a broken
// page fails its step with a message instead of hanging the suite.
const stepTimeout = 10 * time.Second

// app is the real router on a fresh database, served on a loopback port.
type app struct {
	URL   string
	Store *models.Store
}

// startApp serves web.New on a fresh, migrated database (SQLite, or
// PostgreSQL with TEST_DATABASE_URL). The server's log is shown when the
// test fails.
func startApp(t *testing.T, configure ...func(*web.Config)) *app {
	t.Helper()
	store := dbtest.New(t)
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := web.SessionKeys(strings.Repeat("browser-test-secret-", 2), "")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	cfg := web.Config{
		SessionKeys:   keys,
		SecureCookies: "false",
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
	}
	for _, f := range configure {
		f(&cfg)
	}
	e, err := web.New(cfg, store, assets)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e) // listens on 127.0.0.1:0
	t.Cleanup(srv.Close)
	return &app{URL: srv.URL, Store: store}
}

// syncBuffer collects the server's log lines from its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browser is one Chromium, with its own profile (cookies), and one tab.
type browser struct {
	t    *testing.T
	name string
	ctx  context.Context // the tab; it lives as long as the test
	base string
	js   bool

	navs          int // tokens handed out by follow
	acceptDialogs atomic.Bool
	mu            sync.Mutex
	dialogs       []string // messages of the JavaScript dialogs answered
	problems      []string // uncaught exceptions and CSP violations
	console       []string // every console message, as "type: text"
}

type browserConfig struct {
	name          string
	js            bool
	width, height int64
}

type browserOption func(*browserConfig)

// withoutJS turns page scripts off before the first page loads: htmx and
// app.js never run, and <noscript> content is shown, as for a visitor who
// has JavaScript disabled. The test driver can still read the DOM.
func withoutJS() browserOption { return func(c *browserConfig) { c.js = false } }

// named labels the browser in failure messages (the two-user test).
func named(name string) browserOption { return func(c *browserConfig) { c.name = name } }

// viewport sets the window size in CSS pixels.
func viewport(w, h int64) browserOption {
	return func(c *browserConfig) { c.width, c.height = w, h }
}

// allocatorOptions are the flags that work on this kind of machine, and
// nothing else: no chromedp defaults, so what runs is what is written here.
func allocatorOptions(userDataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(userDataDir),
	}
}

// newBrowser launches a Chromium of its own (its own allocator and fresh
// user-data dir) pointed at a.
func newBrowser(t *testing.T, a *app, opts ...browserOption) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need Chromium at %s (apt-get install -y chromium): %v", chromiumPath, err)
	}
	cfg := browserConfig{name: "browser", js: true, width: 1280, height: 900}
	for _, o := range opts {
		o(&cfg)
	}
	// TempDir before the cancels: cleanups run last-in first-out, so the
	// browser has exited before its profile is removed.
	dir := t.TempDir()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(dir)...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	b := &browser{t: t, name: cfg.name, ctx: ctx, base: a.URL, js: cfg.js}
	b.acceptDialogs.Store(true)

	// The first Do starts the browser and binds it to ctx, which has no
	// deadline; each later step gets its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: start Chromium: %v", b.name, err)
	}
	b.watch()
	b.do("set the viewport", chromedp.EmulateViewport(cfg.width, cfg.height))
	if !cfg.js {
		b.setScripts(false)
	}
	t.Cleanup(b.checkProblems)
	return b
}

// watch answers JavaScript dialogs (hx-confirm) as acceptDialogs says,
// recording their text, and collects uncaught exceptions and CSP
// violations from the console.
func (b *browser) watch() {
	dialogs := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: b.acceptDialogs.Load()})
		}
	}()
	console := chromedp.Console(b.ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			text := m.String()
			b.mu.Lock()
			b.console = append(b.console, text)
			b.mu.Unlock()
			if m.IsException() || strings.Contains(text, "Content Security Policy") {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, text))
				b.mu.Unlock()
			}
		}
	}()
}

// checkProblems fails the test if any page threw or broke its CSP.
func (b *browser) checkProblems() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("%s: console: %s", b.name, p)
	}
}

// consoleWith is every console message so far that contains s.
func (b *browser) consoleWith(s string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if strings.Contains(m, s) {
			out = append(out, m)
		}
	}
	return out
}

// lastDialog is the text of the last dialog answered, "" if none.
func (b *browser) lastDialog() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) == 0 {
		return ""
	}
	return b.dialogs[len(b.dialogs)-1]
}

func (b *browser) dialogCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.dialogs)
}

// setScripts switches page scripts for the pages loaded from now on.
func (b *browser) setScripts(on bool) {
	b.t.Helper()
	b.do("switch scripts", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// colorScheme emulates prefers-color-scheme: "light" or "dark".
func (b *browser) colorScheme(scheme string) {
	b.t.Helper()
	b.do("emulate "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
	// Colours change with a transition: let them finish, or a check or
	// screenshot sees them half-way.
	b.waitUntil("transitions to finish", `document.getAnimations().length === 0`)
}

// do runs actions with the step timeout, failing the test on error with
// what the page showed.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %s: %v%s", b.name, what, err, b.state())
	}
}

// run runs one action that returns a value, like do.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %s: %v%s", b.name, what, err, b.state())
	}
	return v
}

// eval evaluates a JavaScript expression in the page through the DevTools
// protocol, which works with page scripts disabled too.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// evalAsync evaluates an expression that returns a promise and waits for
// its value.
func evalAsync[T any](b *browser, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// state describes the page for a failure message: its URL and the start
// of its text.
func (b *browser) state() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`location.href + "\n" + (document.body ? document.body.innerText : "").slice(0, 1500)`))
	if err != nil {
		return ""
	}
	return "\n--- page: " + s + "\n---"
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// open navigates to path and returns the HTTP status of the document.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	return b.follow("open "+path, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: b.base + path})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	}))
}

// follow runs an action that loads a new document (a link, a plain form
// submit), waits until the new document has loaded and returns its HTTP
// status, after redirects.
//
// It tells the new document from the old by a token put on the old one's
// window, and reads the status from the Navigation Timing entry: unlike
// chromedp's lifecycle tracking, that also holds after a page came back
// from the back/forward cache, which Chromium uses even for no-store
// pages.
func (b *browser) follow(what string, action chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	b.navs++
	tok := strconv.Itoa(b.navs)
	eval[chromedp.Void](b, `window.__nav = `+tok)
	b.do(what, action)
	b.waitUntil(what+": a new page", `window.__nav !== `+tok+` && document.readyState === "complete"`)
	return eval[int64](b, `performance.getEntriesByType("navigation")[0].responseStatus`)
}

// submit clicks a submit button and waits for the page it leads to (the
// plain-form path: POST, 303, GET).
func (b *browser) submit(button string) int64 {
	b.t.Helper()
	return b.follow("submit with "+button, b.clickAction(button))
}

// visit clicks a link and waits for the page it leads to.
func (b *browser) visit(link string) int64 {
	b.t.Helper()
	return b.follow("follow "+link, b.clickAction(link))
}

// click clicks an element that updates the page in place (htmx).
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("click "+sel, b.clickAction(sel))
}

// clickAction is a real mouse click (press and release) at the middle of
// the first element matching sel, once it is visible. It fails if another
// element covers that point, as a person could not click it either.
//
// The element is found with a query in the page rather than chromedp's
// own DOM mirror, which goes stale when Chromium restores a page from
// the back/forward cache.
func (b *browser) clickAction(sel string, opts ...chromedp.MouseOption) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		type point struct {
			X, Y    float64
			Problem string
		}
		var p point
		for {
			var err error
			p, err = chromedp.Evaluate[point](`(e => {
				if (!e) return {Problem: "no element matches"};
				e.scrollIntoView({block: "center", inline: "center"});
				const r = e.getBoundingClientRect();
				if (r.width === 0 || r.height === 0) return {Problem: "not visible"};
				const x = r.left + r.width / 2, y = r.top + r.height / 2;
				const hit = document.elementFromPoint(x, y);
				if (hit !== e && !e.contains(hit)) return {Problem: "covered by " + (hit ? hit.outerHTML.slice(0, 120) : "nothing")};
				return {X: x, Y: y};
			})(document.querySelector(`+js(sel)+`))`)(ctx, t)
			if err == nil && p.Problem == "" {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s: %s (%v)", sel, p.Problem, err)
			case <-time.After(25 * time.Millisecond):
			}
		}
		_, err := chromedp.MouseClickXY(p.X, p.Y, opts...)(ctx, t)
		return err
	})
}

// focus moves focus to sel, as a click into a field would.
func (b *browser) focus(sel string) {
	b.t.Helper()
	b.waitFor(sel)
	eval[chromedp.Void](b, `document.querySelector(`+js(sel)+`).focus()`)
}

// fill empties a field and types text into it, key by key. Emptying it
// fires input, as deleting its text would.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	b.focus(sel)
	eval[chromedp.Void](b, `(e => { if (e.value !== "") { e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); } })(document.querySelector(`+js(sel)+`))`)
	if text != "" {
		b.typeKeys(text)
	}
}

// typeKeys types into the focused element: text, or keys from package
// kb such as kb.Enter, kb.Escape, kb.Tab.
func (b *browser) typeKeys(keys string) {
	b.t.Helper()
	b.do(fmt.Sprintf("type %q", keys), chromedp.KeyEvent(keys))
}

// value is a form field's current value.
func (b *browser) value(sel string) string {
	b.t.Helper()
	return eval[string](b, `(e => e ? e.value : "<missing "+`+js(sel)+`+">")(document.querySelector(`+js(sel)+`))`)
}

// text is the rendered text of the first element matching sel, trimmed;
// it fails the test if there is none.
func (b *browser) text(sel string) string {
	b.t.Helper()
	b.waitFor(sel)
	return strings.TrimSpace(eval[string](b, `document.querySelector(`+js(sel)+`).innerText`))
}

// texts is the rendered text of every element matching sel.
func (b *browser) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll(`+js(sel)+`)].map(e => e.innerText.trim())`)
}

// exists reports whether sel matches an element now.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, `document.querySelector(`+js(sel)+`) !== null`)
}

// attr is an attribute of the first element matching sel ("" if absent).
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	b.waitFor(sel)
	return eval[string](b, `document.querySelector(`+js(sel)+`).getAttribute(`+js(name)+`) || ""`)
}

// waitUntil polls a JavaScript condition until it holds.
func (b *browser) waitUntil(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: waited %s for %s (%s): %v%s", b.name, stepTimeout, what, cond, err, b.state())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitUntilGo polls a condition on the test's side until it holds.
func (b *browser) waitUntilGo(what string, cond func() bool) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: waited %s for %s%s", b.name, stepTimeout, what, b.state())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitFor waits until sel matches an element.
func (b *browser) waitFor(sel string) {
	b.t.Helper()
	b.waitUntil(sel+" to appear", `document.querySelector(`+js(sel)+`)`)
}

// waitGone waits until sel matches nothing.
func (b *browser) waitGone(sel string) {
	b.t.Helper()
	b.waitUntil(sel+" to go", `document.querySelector(`+js(sel)+`) === null`)
}

// waitText waits until sel's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	b.waitUntil(fmt.Sprintf("%s to say %q", sel, want),
		`(e => e && e.innerText.includes(`+js(want)+`))(document.querySelector(`+js(sel)+`))`)
}

// settled waits until htmx has no request in flight and no swap pending.
func (b *browser) settled() {
	b.t.Helper()
	b.waitUntil("htmx to settle", `document.querySelectorAll(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added").length === 0`)
}

// path is the page's address without the origin: path and query.
func (b *browser) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// focused describes the focused element: "#id", or "tag[name=…]", or
// the tag with its text.
func (b *browser) focused() string {
	b.t.Helper()
	return eval[string](b, `(e => !e || e === document.body ? "body" :
		e.id ? "#" + e.id :
		e.name ? e.tagName.toLowerCase() + "[name=" + e.name + "]" :
		e.tagName.toLowerCase() + ":" + (e.getAttribute("aria-label") || e.innerText.trim()))(document.activeElement)`)
}

// setMarker puts a value on window that only survives if the document is
// never replaced, i.e. every later change was a partial update.
func (b *browser) setMarker() {
	b.t.Helper()
	eval[chromedp.Void](b, `window.__marker = 42`)
}

// checkMarker fails the test if the page was reloaded since setMarker.
func (b *browser) checkMarker(step string) {
	b.t.Helper()
	if !eval[bool](b, `window.__marker === 42`) {
		b.t.Fatalf("%s: %s reloaded the page: the window marker is gone (want a partial update)%s", b.name, step, b.state())
	}
}

// scriptsRan reports whether htmx was loaded, which is false with
// JavaScript off.
func (b *browser) scriptsRan() bool {
	b.t.Helper()
	return eval[bool](b, `typeof window.htmx !== "undefined"`)
}
