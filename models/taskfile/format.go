// Package taskfile reads and writes one user's tasks as a file they can
// keep, open in a spreadsheet, or import again: CSV or JSON.
//
// Both formats carry the same fields: title, description, status,
// due_date ("YYYY-MM-DD" or empty), created and updated (UTC, RFC 3339).
// A JSON file is one object whose first members say what it is
// ({"format": "taskapp-tasks", "version": 1, "exported_at": …}) followed
// by "tasks", a list of objects. A CSV file is UTF-8 with a byte order
// mark, a header row naming the columns, and RFC 4180 quoting.
//
// Files are streamed both ways: the writer takes one task at a time, the
// reader decodes one row at a time from a size-bounded input, and keeps
// only the rows it has read (at most Limits.MaxRows of them).
package taskfile

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"taskapp/models"
)

// Format is a file format: CSV or JSON.
type Format string

// The formats this package reads and writes.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// ContentType is the format's media type, for a download.
func (f Format) ContentType() string {
	if f == JSON {
		return "application/json; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// FileName is the name a download of f made on day gets, such as
// taskapp-tasks-2026-12-02.csv.
func (f Format) FileName(day time.Time) string {
	return "taskapp-tasks-" + day.Format("2006-01-02") + "." + string(f)
}

// Name and Version are what a JSON file says it is. Version goes up when
// a reader of this version could no longer read what a writer writes.
const (
	Name    = "taskapp-tasks"
	Version = 1
)

// The fields of a task, in file order: CSV headers and JSON member names.
const (
	colTitle       = "title"
	colDescription = "description"
	colStatus      = "status"
	colDueDate     = "due_date"
	colCreated     = "created"
	colUpdated     = "updated"
)

var columns = []string{colTitle, colDescription, colStatus, colDueDate, colCreated, colUpdated}

// Errors the reader returns for the file as a whole, checked with
// errors.Is or errors.As. Problems with one row are not errors: they are
// listed on the row (Row.Problems).
var (
	// ErrTooLarge means the file is over Limits.MaxBytes.
	ErrTooLarge = errors.New("taskfile: file too large")
)

// FormatError means the file cannot be read as a task file at all. Its
// Message is written for the person who chose the file.
type FormatError struct {
	Message string
}

func (e *FormatError) Error() string { return "taskfile: " + e.Message }

func formatErrorf(format string, args ...any) error {
	return &FormatError{Message: fmt.Sprintf(format, args...)}
}

// inertPrefix is what a cell starting with a formula character gets in
// front of it, so that a spreadsheet shows it as text and never evaluates
// it (OWASP's advice against CSV injection). Tab and carriage return are
// on the list because some spreadsheets strip them and then see the
// formula behind them.
const inertPrefix = '\''

func triggersFormula(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// makeInert prefixes a cell that a spreadsheet would read as a formula. A
// cell that already starts with quotes before such a character gets one
// more, so that readCell can undo exactly what makeInert did: a title
// '=x (quote, equals, x) is written with two quotes and read back as it was.
func makeInert(s string) string {
	rest := strings.TrimLeft(s, string(inertPrefix))
	if rest != "" && triggersFormula(rest[0]) {
		return string(inertPrefix) + s
	}
	return s
}

// readCell undoes makeInert.
func readCell(s string) string {
	rest := strings.TrimLeft(s, string(inertPrefix))
	if len(rest) < len(s) && rest != "" && triggersFormula(rest[0]) {
		return s[1:]
	}
	return s
}

// stamp is how a timestamp is written: UTC, RFC 3339 to the microsecond
// (what the database keeps).
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00") }

// record is one task as a file holds it.
type record struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Status      string  `json:"status"`
	DueDate     *string `json:"due_date"`
	Created     string  `json:"created"`
	Updated     string  `json:"updated"`
}

func recordOf(t *models.Task) record {
	r := record{
		Title:       t.Title,
		Description: t.DescriptionText(),
		Status:      string(t.Status),
		Created:     stamp(t.CreatedAt),
		Updated:     stamp(t.UpdatedAt),
	}
	if t.DueDate != nil {
		d := t.DueDate.String()
		r.DueDate = &d
	}
	return r
}
