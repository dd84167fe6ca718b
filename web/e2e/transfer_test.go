//go:build browser

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// allowDownloads makes the browser save downloads into dir under the
// name the server gives them, as a person's browser does.
func (b *browser) allowDownloads(dir string) {
	b.t.Helper()
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		})
		return err
	}))
}

// download clicks a download link and returns the name and content of
// the file it saved into dir (which must hold no other file).
func (b *browser) download(link, dir string) (string, []byte) {
	b.t.Helper()
	b.click(link)
	var name string
	b.waitUntilGo("the download of "+link, func() bool {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			// Chromium writes to a .crdownload file and renames it at the end.
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				name = e.Name()
				return true
			}
		}
		return false
	})
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.t.Fatal(err)
	}
	return name, data
}

// uploadFile chooses path in the import form's file input.
func (b *browser) uploadFile(path string) {
	b.t.Helper()
	b.do("choose "+path, chromedp.SetUploadFiles(`#import-file`, []string{path}))
}

// TestExportImportInBrowser downloads a user's tasks as CSV and JSON from
// the account page and imports them into another account, then imports
// files that are refused, with and without JavaScript. Each page is
// checked with axe.
func TestExportImportInBrowser(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name string
		opts []browserOption
	}{
		{"with JavaScript", nil},
		{"without JavaScript", []browserOption{withoutJS()}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			a := startApp(t)
			b := newBrowser(t, a, mode.opts...)
			b.register("exporter@example.com")
			b.addTask("=SUM(1,2)")
			b.addTask("Crème brûlée")

			b.visit(`nav a[href="/account"]`)
			b.expectPath("/account")
			b.checkA11y("the account page with downloads and import")

			files := map[string][]byte{}
			for _, format := range []string{"csv", "json"} {
				dir := t.TempDir()
				b.allowDownloads(dir)
				name, data := b.download(`a[href="/account/tasks.`+format+`"]`, dir)
				if !regexp.MustCompile(`^taskapp-tasks-\d{4}-\d{2}-\d{2}\.` + format + `$`).MatchString(name) {
					t.Errorf("downloaded file named %q", name)
				}
				files[format] = data
				// A download leaves the page where it was.
				b.expectPath("/account")
			}
			csvFile := files["csv"]
			if !bytes.HasPrefix(csvFile, []byte("\xEF\xBB\xBF")) || !bytes.Contains(csvFile, []byte("\r\n\"'=SUM(1,2)\",")) || !bytes.Contains(csvFile, []byte("Crème brûlée")) {
				t.Errorf("CSV download:\n%s", csvFile)
			}
			var doc struct{ Tasks []struct{ Title string } }
			if err := json.Unmarshal(files["json"], &doc); err != nil || len(doc.Tasks) != 2 || doc.Tasks[0].Title != "=SUM(1,2)" {
				t.Errorf("JSON download (%v):\n%s", err, files["json"])
			}

			b.logout()
			b.register("importer@example.com")
			b.visit(`nav a[href="/account"]`)
			dir := t.TempDir()
			csvPath := filepath.Join(dir, "mine.csv")
			os.WriteFile(csvPath, csvFile, 0o600)
			b.uploadFile(csvPath)
			if st := b.submit(`form[action="/account/import"] button[type=submit]`); st != 200 {
				t.Fatalf("import: status %d%s", st, b.state())
			}
			b.expectPath("/tasks")
			b.expectFlash("Imported 2 tasks from mine.csv.")
			if got := b.titles(); !slices.Equal(got, []string{"Crème brûlée", "=SUM(1,2)"}) && !slices.Equal(got, []string{"=SUM(1,2)", "Crème brûlée"}) {
				t.Errorf("the list shows %q after the import", got)
			}

			// A file with bad rows: nothing is imported, and the page says
			// which rows and why.
			bad := filepath.Join(dir, "bad.csv")
			os.WriteFile(bad, []byte("Title,Status\nFine,pending\n,pending\nAlso fine,someday\n"), 0o600)
			b.open("/account")
			b.uploadFile(bad)
			if st := b.submit(`form[action="/account/import"] button[type=submit]`); st != 422 {
				t.Fatalf("import of bad rows: status %d, want 422%s", st, b.state())
			}
			if got := b.text(`[role="alert"]`); !strings.Contains(got, "Nothing was imported from bad.csv.") || !strings.Contains(got, "2 of its 3 rows have a problem.") {
				t.Errorf("alert says %q", got)
			}
			rows := b.texts("table.rejected-rows tbody tr")
			want := []string{"Line 3\tTitle: Enter a title.", "Line 4\tStatus: Choose pending, in progress or completed."}
			if !slices.Equal(rows, want) {
				t.Errorf("rejected rows %q, want %q", rows, want)
			}
			b.checkA11y("the import page with rejected rows")

			// A file over the limit, chosen on the import page itself.
			big := filepath.Join(dir, "big.json")
			os.WriteFile(big, append([]byte(`{"tasks":[`), bytes.Repeat([]byte(`{"title":"x","description":"`+strings.Repeat("d", 1000)+`"},`), 1100)...), 0o600)
			b.uploadFile(big)
			if st := b.submit(`form[action="/account/import"] button[type=submit]`); st != 413 {
				t.Fatalf("import of a large file: status %d, want 413%s", st, b.state())
			}
			if got := b.text(`[role="alert"]`); !strings.Contains(got, "The file is larger than 1024 KiB") {
				t.Errorf("alert says %q", got)
			}
			b.checkA11y("the import page for a file too large")

			b.open("/tasks")
			if got := len(b.titles()); got != 2 {
				t.Errorf("%d tasks after the refused imports, want 2", got)
			}
		})
	}
}
