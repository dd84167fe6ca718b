package web

import (
	"net/http"
	"strings"
	"testing"
)

// wantCSP is the whole Content-Security-Policy, spelled out here rather than
// read from the constant, so that any loosening of the policy fails a test.
const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// TestSecurityHeadersOnEveryResponse checks the headers on each kind of
// response: a page, an htmx fragment, an error page, a static file and a
// probe.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	app := newTestApp(t)
	b := app.signedIn("headers@example.com")
	href, _ := b.get("/tasks").doc.Find(`link[rel="stylesheet"]`).Last().Attr("href")
	responses := map[string]*page{
		"page":          b.get("/tasks"),
		"htmx fragment": b.get("/tasks", b.htmx()...),
		"not found":     b.get("/no/such/page"),
		"static file":   b.get(href),
		"probe":         b.get("/healthz"),
	}
	for name, p := range responses {
		if p.StatusCode == http.StatusInternalServerError {
			t.Fatalf("%s: status 500", name)
		}
		for header, want := range map[string]string{
			"Content-Security-Policy":    wantCSP,
			"X-Content-Type-Options":     "nosniff",
			"X-Frame-Options":            "DENY",
			"Referrer-Policy":            "same-origin",
			"Cross-Origin-Opener-Policy": "same-origin",
			"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
		} {
			if got := p.Header.Values(header); len(got) != 1 || got[0] != want {
				t.Errorf("%s: %s = %q, want exactly %q", name, header, got, want)
			}
		}
	}
	// Pages show one person's tasks: no cache, shared or private, keeps
	// them. Static files are the opposite: versioned names, cached forever.
	for _, name := range []string{"page", "htmx fragment", "not found"} {
		if got := responses[name].Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", name, got)
		}
	}
}

// TestCSPAllowsNothingUnsafe reads the policy the app sends, directive by
// directive: no 'unsafe-*' keyword, no wildcard or scheme-wide source
// (except data: for images), and every fetch directive it relies on is set.
func TestCSPAllowsNothingUnsafe(t *testing.T) {
	app := newTestApp(t)
	policy := app.browser().get("/login").Header.Get("Content-Security-Policy")
	directives := map[string][]string{}
	for d := range strings.SplitSeq(policy, ";") {
		fields := strings.Fields(d)
		if len(fields) == 0 {
			continue
		}
		if _, dup := directives[fields[0]]; dup {
			t.Errorf("directive %s appears twice", fields[0])
		}
		directives[fields[0]] = fields[1:]
	}
	for _, name := range []string{"default-src", "script-src", "style-src", "connect-src",
		"form-action", "frame-ancestors", "base-uri", "object-src"} {
		if len(directives[name]) == 0 {
			t.Errorf("policy %q has no %s", policy, name)
		}
	}
	for name, sources := range directives {
		for _, src := range sources {
			lower := strings.ToLower(src)
			switch {
			case strings.HasPrefix(lower, "'unsafe-"), strings.Contains(lower, "*"),
				lower == "http:", lower == "https:", lower == "blob:", lower == "'strict-dynamic'":
				t.Errorf("%s allows %s", name, src)
			case lower == "data:" && name != "img-src":
				t.Errorf("%s allows data:", name)
			case !strings.HasPrefix(lower, "'") && lower != "data:":
				t.Errorf("%s allows another origin: %s", name, src)
			}
		}
	}
}
