package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// part is one field of a multipart form; file parts have a fileName.
type part struct {
	name, fileName string
	content        []byte
}

// upload posts parts as a multipart form, in the order given, as a
// browser sends a form with a file input.
func (b *browser) upload(path string, parts []part, headers ...string) *page {
	b.app.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.fileName != "" || p.name == "file" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.fileName))
			h.Set("Content-Type", "application/octet-stream")
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.name))
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			b.app.t.Fatal(err)
		}
		w.Write(p.content)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.app.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	setHeaders(req, headers)
	return b.do(req)
}

// importFile posts the account page's import form with one file.
func (b *browser) importFile(name string, content []byte) *page {
	b.app.t.Helper()
	if b.csrf == "" {
		b.get("/account")
	}
	return b.upload("/account/import", []part{{name: "_csrf", content: []byte(b.csrf)}, {name: "file", fileName: name, content: content}})
}

func titlesOf(t *testing.T, app *testApp, userID int64) []string {
	t.Helper()
	var out []string
	if err := app.store.EachTask(app.ctx(), userID, func(tk *models.Task) error {
		out = append(out, tk.Title)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAccountPageOffersDownloadsAndImport(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	p := app.signedIn("offer@example.com").get("/account")
	wantStatus(t, p, http.StatusOK)
	for _, href := range []string{"/account/tasks.csv", "/account/tasks.json"} {
		if p.doc.Find(`a[download][href="`+href+`"]`).Length() != 1 {
			t.Errorf("no download link to %s", href)
		}
	}
	form := p.doc.Find(`form[action="/account/import"][method="post"][enctype="multipart/form-data"]`)
	if form.Length() != 1 {
		t.Fatal("no multipart import form")
	}
	// The server reads the token before the file: it must come first.
	if name, _ := form.Find("input").First().Attr("name"); name != "_csrf" {
		t.Errorf("the import form's first field is %q, want _csrf", name)
	}
	if form.Find(`input[type="file"][name="file"][required]`).Length() != 1 {
		t.Error("no required file input named file")
	}
}

func TestExportCSVHasOnlyOwnTasks(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-csv@example.com")
	bob := app.taskUser("bob-csv@example.com")
	app.addTask(alice.id, "=1+2", "line one\nline two, with \"quotes\"", models.StatusInProgress)
	app.addTask(bob.id, "Bob's secret", "", models.StatusPending)
	app.addTask(alice.id, "Crème brûlée", "", models.StatusCompleted)

	p := alice.get("/account/tasks.csv")
	wantStatus(t, p, http.StatusOK)
	today := time.Now().UTC().Format("2006-01-02")
	for header, want := range map[string]string{
		"Content-Type":        "text/csv; charset=utf-8",
		"Content-Disposition": "attachment; filename=taskapp-tasks-" + today + ".csv",
		"Cache-Control":       "no-store",
	} {
		if got := p.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	body, ok := strings.CutPrefix(p.body, "\uFEFF")
	if !ok {
		t.Error("the CSV does not start with a UTF-8 byte order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range recs[1:] {
		titles = append(titles, r[0])
	}
	if want := []string{"'=1+2", "Crème brûlée"}; !slices.Equal(titles, want) {
		t.Errorf("titles = %q, want %q (alice's only, formula inert)", titles, want)
	}
	if recs[1][1] != "line one\nline two, with \"quotes\"" || recs[1][2] != "in_progress" {
		t.Errorf("first row = %q", recs[1])
	}
}

func TestExportJSONHasOnlyOwnTasks(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-json@example.com")
	bob := app.taskUser("bob-json@example.com")
	app.addTask(bob.id, "Bob's secret", "", models.StatusPending)
	// More than one batch and more than the response buffer.
	if _, err := app.store.ImportTasks(app.ctx(), alice.id, manyTasks(models.ExportBatch+20)); err != nil {
		t.Fatal(err)
	}
	p := alice.get("/account/tasks.json")
	wantStatus(t, p, http.StatusOK)
	if got := p.Header.Get("Content-Disposition"); !strings.HasSuffix(got, ".json") {
		t.Errorf("Content-Disposition = %q", got)
	}
	var doc struct {
		Format string
		Tasks  []struct{ Title, Status string }
	}
	if err := json.Unmarshal([]byte(p.body), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Format != "taskapp-tasks" || len(doc.Tasks) != models.ExportBatch+20 {
		t.Fatalf("format %q, %d tasks", doc.Format, len(doc.Tasks))
	}
	for _, tk := range doc.Tasks {
		if !strings.HasPrefix(tk.Title, "Task ") {
			t.Fatalf("exported %q", tk.Title)
		}
	}
}

func manyTasks(n int) []models.TaskInput {
	ins := make([]models.TaskInput, n)
	for i := range ins {
		ins[i] = models.TaskInput{Title: fmt.Sprintf("Task %d with a title long enough to fill the buffer", i)}
	}
	return ins
}

func TestExportNeedsSignIn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	for _, path := range []string{"/account/tasks.csv", "/account/tasks.json"} {
		p := app.browser().get(path)
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Errorf("%s signed out: redirected to %q, want the login page", path, loc)
		}
		if p.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s signed out: a download", path)
		}
	}
}

func TestImportTitleOnlyCSV(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-import@example.com")
	bob := app.taskUser("bob-import@example.com")
	app.addTask(bob.id, "Bob's own", "", models.StatusPending)

	p := alice.importFile("groceries.csv", []byte("Title,Aisle\nMilk,3\nBread,1\n"))
	wantRedirect(t, p, "/tasks")
	list := alice.get("/tasks")
	if got := messages(list); got != "Imported 2 tasks from groceries.csv. Columns it does not use were ignored: Aisle." {
		t.Errorf("message = %q", got)
	}
	if got := titlesOf(t, app, alice.id); !slices.Equal(got, []string{"Milk", "Bread"}) {
		t.Errorf("alice's tasks = %q", got)
	}
	if got := titlesOf(t, app, bob.id); !slices.Equal(got, []string{"Bob's own"}) {
		t.Errorf("bob's tasks = %q, want untouched", got)
	}
}

// What one account downloads, another imports, statuses and dates kept.
func TestImportWhatExportWrote(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-roundtrip@example.com")
	carol := app.taskUser("carol-roundtrip@example.com")
	app.addTask(alice.id, "-5 push-ups", "@home\n+ stretch", models.StatusCompleted)
	due := "2027-02-03"
	if _, err := app.store.CreateTask(app.ctx(), alice.id, models.TaskInput{Title: "Dentist", DueDate: due, Status: models.StatusInProgress}); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "json"} {
		file := alice.get("/account/tasks." + format)
		wantStatus(t, file, http.StatusOK)
		wantRedirect(t, carol.importFile("tasks."+format, []byte(file.body)), "/tasks")
	}
	var got []string
	app.store.EachTask(app.ctx(), carol.id, func(tk *models.Task) error {
		d := ""
		if tk.DueDate != nil {
			d = tk.DueDate.String()
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%s", tk.Title, tk.DescriptionText(), tk.Status, d))
		return nil
	})
	one := []string{"-5 push-ups|@home\n+ stretch|completed|", "Dentist||in_progress|2027-02-03"}
	if want := append(one, one...); !slices.Equal(got, want) {
		t.Errorf("carol's tasks = %q\nwant %q", got, want)
	}
}

func TestImportWithBadRowsImportsNothing(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-bad@example.com")
	app.addTask(alice.id, "Already here", "", models.StatusPending)
	file := "title,status,due_date\nGood one,pending,\n,pending,\nAlso good,finished,2026-02-30\n"
	p := alice.importFile("bad.csv", []byte(file))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := strings.Join(p.doc.Find(`[role="alert"] p`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }), " "); got != "Nothing was imported from bad.csv. 2 of its 3 rows have a problem. Every row must be right before any is imported." {
		t.Errorf("alert = %q", got)
	}
	var rows []string
	p.doc.Find("table.rejected-rows tbody tr").Each(func(_ int, tr *goquery.Selection) {
		rows = append(rows, tr.Find("th").Text()+": "+strings.Join(strings.Fields(tr.Find("td").Text()), " "))
	})
	want := []string{
		"Line 3: Title: Enter a title.",
		"Line 4: Due date: Enter a real date, like 2026-12-31. Status: Choose pending, in progress or completed.",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rejected rows = %q\nwant %q", rows, want)
	}
	if got := titlesOf(t, app, alice.id); !slices.Equal(got, []string{"Already here"}) {
		t.Errorf("tasks = %q, want nothing imported", got)
	}
	if p.doc.Find(`form[action="/account/import"] input[type="file"]`).Length() != 1 {
		t.Error("the page does not offer the import form again")
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-refused@example.com")
	// 1.3 MB in 1,300 rows: over the size limit, under the row limit.
	big := append([]byte("title,description\n"), bytes.Repeat([]byte("A title,"+strings.Repeat("d", 990)+"\n"), 1300)...)
	cases := []struct {
		name    string
		file    []byte
		status  int
		message string
	}{
		{"over.csv", big[:1<<20+100], http.StatusRequestEntityTooLarge, "The file is larger than 1024 KiB, the most one import takes. Split it into smaller files and import each."},
		{"way-over.csv", big, http.StatusRequestEntityTooLarge, "The file is larger than 1024 KiB, the most one import takes. Split it into smaller files and import each."},
		{"book.xlsx", []byte("PK\x03\x04..."), http.StatusUnprocessableEntity, "This looks like a spreadsheet workbook (.xlsx) or a zip file. Save it as “CSV UTF-8” and import that."},
		{"shape.json", []byte(`{"tasks": {"title": "x"}}`), http.StatusUnprocessableEntity, "“tasks” must be a list of tasks, like [{\"title\": \"Buy milk\"}]."},
		{"", nil, http.StatusUnprocessableEntity, "Choose a file to import."},
		{"empty.csv", nil, http.StatusUnprocessableEntity, "The file is empty."},
	}
	for _, c := range cases {
		p := alice.importFile(c.name, c.file)
		if p.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d\n%s", c.name, p.StatusCode, c.status, p.body)
			continue
		}
		alert := p.doc.Find(`[role="alert"]`)
		if got := strings.TrimSpace(alert.Find("p").Last().Text()); got != c.message {
			t.Errorf("%s: message %q\nwant %q", c.name, got, c.message)
		}
	}
	if got := titlesOf(t, app, alice.id); len(got) != 0 {
		t.Errorf("%d tasks imported by refused files", len(got))
	}
}

func TestImportCSRF(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-csrf@example.com")
	file := part{name: "file", fileName: "t.csv", content: []byte("title\nSneaky\n")}
	for name, parts := range map[string][]part{
		"no token":          {file},
		"wrong token":       {{name: "_csrf", content: []byte("nope")}, file},
		"token after files": {file, {name: "_csrf", content: []byte(alice.csrf)}},
	} {
		if p := alice.upload("/account/import", parts); p.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, p.StatusCode)
		}
	}
	if got := titlesOf(t, app, alice.id); len(got) != 0 {
		t.Errorf("tasks imported without a valid token: %q", got)
	}
	// htmx and scripts send the token as a header instead.
	p := alice.upload("/account/import", []part{file}, "X-CSRF-Token: "+alice.csrf)
	wantRedirect(t, p, "/tasks")
	// Other routes still refuse multipart bodies.
	wantStatus(t, alice.upload("/account/time-zone", []part{{name: "_csrf", content: []byte(alice.csrf)}}), http.StatusUnsupportedMediaType)
}

// A download that fails before its first bytes is an error page, not a
// file: here the tasks table is gone.
func TestExportFailureIsAnErrorPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice-broken@example.com")
	app.addTask(alice.id, "Lost", "", models.StatusPending)
	if err := dbtest.Exec(t, app.store, "ALTER TABLE tasks RENAME TO tasks_elsewhere"); err != nil {
		t.Fatal(err)
	}
	p := alice.get("/account/tasks.csv")
	wantStatus(t, p, http.StatusInternalServerError)
	if got := p.Header.Get("Content-Disposition"); got != "" {
		t.Errorf("the error page comes as a download: Content-Disposition %q", got)
	}
	if got := p.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
		t.Errorf("Content-Type = %q, want the HTML error page", got)
	}
	if got := p.doc.Find("h1").Text(); got != "Something went wrong" {
		t.Errorf("heading %q", got)
	}
}
