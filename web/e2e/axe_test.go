//go:build browser

package e2e

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeFile is axe-core from the npm registry (axe-core@4.14.1,
// axe.min.js), vendored for tests only: it never ships in the binary.
const axeFile = "testdata/axe-core-4.14.1.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(axeFile)
	return string(b), err
})

// axeViolation is one failed axe rule with the nodes that fail it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // CSS targets
}

// axeRun runs every axe rule on the document and returns the violations
// as plain data. axe runs in the page's main world through the DevTools
// protocol, so the page's CSP (no eval, no inline script) does not stop it.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help,
	nodes: v.nodes.map(n => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.replace(/\s+/g, " ") : ""))
})))`

// checkA11y injects axe-core into the page as it is now and fails the test
// on any violation of impact serious or critical, naming the rule, its
// impact and the nodes. Minor and moderate findings are logged.
//
// With page scripts disabled, they are switched on for the duration of the
// check: the page's own scripts do not run again (they ran, or not, when
// it loaded), but axe needs timers and promises.
func (b *browser) checkA11y(state string) {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("read axe-core: %v", err)
	}
	if !b.js {
		b.setScripts(true)
		defer b.setScripts(false)
	}
	// Check the page at rest: the pointer off every element, so that
	// the last clicked button is not measured in its hover colours.
	b.do("move the pointer away", chromedp.MouseEvent(chromedp.MouseMoved, 0, 0))
	// ...and with every transition finished: content htmx swapped in fades
	// in, and axe would measure its colours half-way.
	b.waitUntil("transitions to finish", `document.getAnimations().length === 0`)
	if !eval[bool](b, `typeof window.axe !== "undefined"`) {
		eval[chromedp.Void](b, src)
	}
	found := run(b, "run axe on "+state, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	var serious, other []string
	for _, v := range found {
		line := fmt.Sprintf("%s (%s): %s\n\t\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t\t"))
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, line)
		} else {
			other = append(other, line)
		}
	}
	for _, l := range other {
		b.t.Logf("%s: axe on %s, minor: %s", b.name, state, l)
	}
	if len(serious) > 0 {
		b.t.Errorf("%s: axe on %s (%s): %d serious or critical violations:\n\t%s",
			b.name, state, b.path(), len(serious), strings.Join(serious, "\n\t"))
	}
}
