package taskfile_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"taskapp/models"
	"taskapp/models/taskfile"
)

var exported = time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// sample has what a file must carry faithfully: text that looks like a
// formula, quotes, commas, line breaks, non-ASCII letters, no description,
// every status, a due date and none.
func sample() []models.Task {
	due := models.NewDate(2026, time.December, 31)
	created := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
	return []models.Task{
		{ID: 1, Title: "=HYPERLINK(\"http://evil\",\"x\")", Description: ptr("+1 call, \"quoted\"\nsecond line"), Status: models.StatusPending, DueDate: &due, CreatedAt: created, UpdatedAt: created.Add(time.Hour)},
		{ID: 2, Title: "Crème brûlée für 東京", Status: models.StatusInProgress, CreatedAt: created, UpdatedAt: created},
		{ID: 3, Title: "-minus", Description: ptr("@mention"), Status: models.StatusCompleted, CreatedAt: created, UpdatedAt: created},
		{ID: 4, Title: "'=already quoted", Description: ptr("'plain quote"), Status: models.StatusPending, CreatedAt: created, UpdatedAt: created},
	}
}

func write(t *testing.T, f taskfile.Format, tasks []models.Task) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := taskfile.NewWriter(&buf, f, exported)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tasks {
		if err := w.Write(&tasks[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t *testing.T, data []byte) *taskfile.File {
	t.Helper()
	f, err := taskfile.Read(bytes.NewReader(data), taskfile.DefaultLimits)
	if err != nil {
		t.Fatalf("Read: %v\n%s", err, data)
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	for _, format := range []taskfile.Format{taskfile.CSV, taskfile.JSON} {
		t.Run(string(format), func(t *testing.T) {
			tasks := sample()
			f := read(t, write(t, format, tasks))
			if f.Format != format {
				t.Errorf("format = %s, want %s", f.Format, format)
			}
			if len(f.Rows) != len(tasks) {
				t.Fatalf("%d rows, want %d", len(f.Rows), len(tasks))
			}
			for i, r := range f.Rows {
				want := models.TaskInput{Title: tasks[i].Title, Description: tasks[i].DescriptionText(), Status: tasks[i].Status}
				if tasks[i].DueDate != nil {
					want.DueDate = tasks[i].DueDate.String()
				}
				if r.Task != want || len(r.Problems) > 0 {
					t.Errorf("row %d = %+v %v, want %+v", i, r.Task, r.Problems, want)
				}
			}
			if len(f.Ignored) > 0 {
				t.Errorf("ignored %v in the app's own file", f.Ignored)
			}
		})
	}
}

func TestCSVForSpreadsheets(t *testing.T) {
	data := write(t, taskfile.CSV, sample())
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: %q", data[:10])
	}
	if !bytes.Contains(data, []byte("\r\n")) || bytes.Count(data, []byte("\r\n")) < 5 {
		t.Errorf("lines do not end in CRLF (RFC 4180): %q", data)
	}
	// As a spreadsheet sees the cells: no cell may start with a formula
	// character.
	cr := csv.NewReader(bytes.NewReader(data[3:]))
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "title,description,status,due_date,created,updated" {
		t.Errorf("header = %s", got)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would be read as a formula", cell)
			}
		}
	}
	if recs[1][0] != `'=HYPERLINK("http://evil","x")` || recs[1][1] != "'+1 call, \"quoted\"\nsecond line" || recs[3][0] != "'-minus" || recs[3][1] != "'@mention" {
		t.Errorf("formula cells not made inert: %q", recs[1:4])
	}
	if recs[1][3] != "2026-12-31" || recs[1][4] != "2026-01-02T03:04:05.123456Z" || recs[1][5] != "2026-01-02T04:04:05.123456Z" {
		t.Errorf("date cells = %q", recs[1][3:])
	}
}

func TestJSONShape(t *testing.T) {
	var doc struct {
		Format     string
		Version    int
		ExportedAt string `json:"exported_at"`
		Tasks      []map[string]any
	}
	if err := json.Unmarshal(write(t, taskfile.JSON, sample()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != "taskapp-tasks" || doc.Version != 1 || doc.ExportedAt != "2026-12-02T10:30:00Z" || len(doc.Tasks) != 4 {
		t.Errorf("header = %+v", doc)
	}
	if doc.Tasks[1]["due_date"] != nil || doc.Tasks[0]["due_date"] != "2026-12-31" || doc.Tasks[1]["status"] != "in_progress" {
		t.Errorf("tasks = %v", doc.Tasks)
	}
	// JSON needs no formula escaping: the text is as the user typed it.
	if doc.Tasks[2]["title"] != "-minus" {
		t.Errorf("title = %v", doc.Tasks[2]["title"])
	}
	empty := write(t, taskfile.JSON, nil)
	if err := json.Unmarshal(empty, &doc); err != nil || len(doc.Tasks) != 0 {
		t.Errorf("empty export %s: %v", empty, err)
	}
}

func TestReadsWhatPeopleWrite(t *testing.T) {
	cases := []struct {
		name, file string
		want       []models.TaskInput
		ignored    []string
	}{
		{"title column only", "Title\nBuy milk\nCall mum\n",
			[]models.TaskInput{{Title: "Buy milk", Status: models.StatusPending}, {Title: "Call mum", Status: models.StatusPending}}, nil},
		{"headers in any case, labels for status, unknown columns", "ID;Title;STATUS;Due Date;Notes\r\n7;  Plan trip ;In progress;2027-01-05;x\r\n;;;;\r\n",
			[]models.TaskInput{{Title: "Plan trip", Status: models.StatusInProgress, DueDate: "2027-01-05"}}, []string{"ID", "Notes"}},
		{"no BOM, tab separated", "status\ttitle\ncompleted\tDone thing\n",
			[]models.TaskInput{{Title: "Done thing", Status: models.StatusCompleted}}, nil},
		{"bare JSON list", ` [{"title": "A", "description": null, "id": 3, "user_id": 9}] `,
			[]models.TaskInput{{Title: "A", Status: models.StatusPending}}, []string{"id", "user_id"}},
		{"JSON object without header members", `{"tasks": [{"title": "B", "status": "COMPLETED"}], "extra": {"x": [1]}}`,
			[]models.TaskInput{{Title: "B", Status: models.StatusCompleted}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := read(t, []byte(c.file))
			if len(f.Rows) != len(c.want) {
				t.Fatalf("%d rows, want %d: %+v", len(f.Rows), len(c.want), f.Rows)
			}
			for i, r := range f.Rows {
				if r.Task != c.want[i] || len(r.Problems) > 0 {
					t.Errorf("row %d = %+v %v, want %+v", i, r.Task, r.Problems, c.want[i])
				}
			}
			if fmt.Sprint(f.Ignored) != fmt.Sprint(c.ignored) {
				t.Errorf("ignored = %q, want %q", f.Ignored, c.ignored)
			}
		})
	}
}

func TestBadRowsAreListed(t *testing.T) {
	long := strings.Repeat("x", models.MaxTitleLen+1)
	t.Run("csv", func(t *testing.T) {
		file := "title,status,due_date\nGood,,\n,pending,\n" + long + ",done,2026-02-30\n\"multi\nline\",pending\nok,pending,2026-01-01\n"
		f := read(t, []byte(file))
		got := map[string][]string{}
		for _, r := range f.Rejected() {
			got[r.Label] = r.Reasons()
		}
		want := map[string][]string{
			"Line 3": {"Title: Enter a title."},
			"Line 4": {"Due date: Enter a real date, like 2026-12-31.", "Status: Choose pending, in progress or completed.", "Title: Use at most 200 characters."},
			"Line 5": {"Has 2 cells, but the first row names 3 columns."},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("rejected = %q\nwant %q", got, want)
		}
		if len(f.Rows) != 5 {
			t.Errorf("%d rows, want 5", len(f.Rows))
		}
	})
	t.Run("json", func(t *testing.T) {
		file := `{"format":"taskapp-tasks","version":1,"tasks":[{"title":"ok"},{"title":42},"just text",{"title":"x\u0000y","status":"nope"}]}`
		f := read(t, []byte(file))
		got := map[string][]string{}
		for _, r := range f.Rejected() {
			got[r.Label] = r.Reasons()
		}
		want := map[string][]string{
			"Task 2": {"Title: Must be text, in quotes."},
			"Task 3": {"Must be an object, like {\"title\": \"Buy milk\"}."},
			"Task 4": {"Status: Choose pending, in progress or completed.", "Title: Contains characters that can't be saved (such as a NUL byte or invalid UTF-8)."},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("rejected = %q\nwant %q", got, want)
		}
	})
}

func TestUnreadableFiles(t *testing.T) {
	cases := []struct{ name, file, msg string }{
		{"empty", "", "The file is empty."},
		{"only a BOM and blank lines", "\uFEFF\n\n", "The file is empty."},
		{"header only", "title\n", "The file has no tasks in it."},
		{"no title column", "name,notes\nx,y\n", `The first row must name the columns, and one of them must be “title”. It reads: "name", "notes".`},
		{"duplicate column", "title,Title\nx,y\n", `The first row names the column "title" twice.`},
		{"bad quoting", "title\n\"open\nnever closed", "Line 2 of the CSV file cannot be read: extraneous or missing \" in quoted-field."},
		{"JSON number", "[1", "The JSON ends too soon: the file is cut short."},
		{"JSON without tasks", `{"format":"taskapp-tasks","version":1}`, "The JSON has no “tasks” list."},
		{"tasks not a list", `{"tasks": {"title": "x"}}`, "“tasks” must be a list of tasks, like [{\"title\": \"Buy milk\"}]."},
		{"another format", `{"format":"something-else","tasks":[]}`, `This JSON file is not a taskapp task list: its “format” is not "taskapp-tasks".`},
		{"newer version", `{"format":"taskapp-tasks","version":2,"tasks":[]}`, "This file was made by a newer taskapp (file version 2; this one reads up to 1)."},
		{"syntax error", `{"tasks": [{"title": "x",}]}`, "The file is not valid JSON: invalid character '}' looking for beginning of object key string."},
		{"trailing data", `{"tasks": [{"title": "x"}]} {}`, "The file goes on after the end of its JSON."},
		{"a backup", "\x1f\x8b\x08\x00rest", "This is a compressed file, perhaps a taskapp backup. Import takes the .csv or .json file that “Download my tasks” makes."},
		{"a workbook", "PK\x03\x04rest", "This looks like a spreadsheet workbook (.xlsx) or a zip file. Save it as “CSV UTF-8” and import that."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := taskfile.Read(strings.NewReader(c.file), taskfile.DefaultLimits)
			var fe *taskfile.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FormatError", err)
			}
			if fe.Message != c.msg {
				t.Errorf("message = %q\nwant      %q", fe.Message, c.msg)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	lim := taskfile.Limits{MaxBytes: 100, MaxRows: 3}
	exact := "title\n" + strings.Repeat("a", 100-len("title\n")-1) + "\n"
	if _, err := taskfile.Read(strings.NewReader(exact), lim); err != nil {
		t.Errorf("a file of exactly MaxBytes: %v", err)
	}
	_, err := taskfile.Read(strings.NewReader(exact+"b\n"), lim)
	if !errors.Is(err, taskfile.ErrTooLarge) {
		t.Errorf("a file over MaxBytes: err = %v, want ErrTooLarge", err)
	}
	// Read one byte at a time, so that the limit is met mid-read too.
	_, err = taskfile.Read(iotest.OneByteReader(strings.NewReader(`[`+strings.Repeat(`{"title":"x"},`, 20)+`{}]`)), lim)
	var fe *taskfile.FormatError
	if !errors.As(err, &fe) || fe.Message != "The file has more than 3 tasks. Import at most 3 at a time." {
		t.Errorf("JSON over MaxRows: err = %v", err)
	}
	_, err = taskfile.Read(strings.NewReader("title\na\nb\nc\nd\n"), lim)
	if !errors.As(err, &fe) || fe.Message != "The file has more than 3 tasks. Import at most 3 at a time." {
		t.Errorf("CSV over MaxRows: err = %v", err)
	}
	if _, err := taskfile.Read(strings.NewReader("title\na\nb\nc\n"), lim); err != nil {
		t.Errorf("CSV of exactly MaxRows: %v", err)
	}
}

func TestReadPassesOnTheInputsOwnError(t *testing.T) {
	cut := errors.New("connection reset")
	_, err := taskfile.Read(io.MultiReader(strings.NewReader("title\nx\n"), iotest.ErrReader(cut)), taskfile.DefaultLimits)
	if !errors.Is(err, cut) {
		t.Errorf("err = %v, want the reader's error", err)
	}
}

func TestFileNames(t *testing.T) {
	day := time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC)
	if got := taskfile.CSV.FileName(day); got != "taskapp-tasks-2026-12-02.csv" {
		t.Errorf("CSV file name = %s", got)
	}
	if got := taskfile.JSON.FileName(day); got != "taskapp-tasks-2026-12-02.json" {
		t.Errorf("JSON file name = %s", got)
	}
}
