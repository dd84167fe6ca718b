package taskfile

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"taskapp/models"
)

// Writer writes tasks to a file one at a time. Close finishes the file;
// without it a JSON file is incomplete and a CSV file may miss its last
// rows.
type Writer interface {
	Write(*models.Task) error
	Close() error
}

// NewWriter starts a file of format f on w. exported is the time the JSON
// header records.
func NewWriter(w io.Writer, f Format, exported time.Time) (Writer, error) {
	switch f {
	case CSV:
		return newCSVWriter(w)
	case JSON:
		return newJSONWriter(w, exported)
	}
	return nil, fmt.Errorf("taskfile: unknown format %q", f)
}

// bom is the UTF-8 byte order mark. It is written at the start of a CSV
// file because Excel reads a CSV without one in the system's legacy code
// page (Windows-1252 in most of the West), turning "é" into "Ã©";
// LibreOffice, Numbers and Google Sheets read UTF-8 either way and drop
// the mark. The reader skips it.
const bom = "\uFEFF"

type csvWriter struct {
	w   *csv.Writer
	row []string
}

func newCSVWriter(w io.Writer) (*csvWriter, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, fmt.Errorf("taskfile: write csv: %w", err)
	}
	cw := &csvWriter{w: csv.NewWriter(w), row: make([]string, len(columns))}
	cw.w.UseCRLF = true // RFC 4180 line breaks
	if err := cw.w.Write(columns); err != nil {
		return nil, fmt.Errorf("taskfile: write csv: %w", err)
	}
	return cw, nil
}

func (cw *csvWriter) Write(t *models.Task) error {
	r := recordOf(t)
	due := ""
	if r.DueDate != nil {
		due = *r.DueDate
	}
	// Every cell a person typed goes through makeInert; the status, date
	// and timestamps are the app's own and never start with a formula
	// character.
	cw.row[0], cw.row[1], cw.row[2], cw.row[3], cw.row[4], cw.row[5] =
		makeInert(r.Title), makeInert(r.Description), r.Status, due, r.Created, r.Updated
	if err := cw.w.Write(cw.row); err != nil {
		return fmt.Errorf("taskfile: write csv: %w", err)
	}
	return nil
}

func (cw *csvWriter) Close() error {
	cw.w.Flush()
	if err := cw.w.Error(); err != nil {
		return fmt.Errorf("taskfile: write csv: %w", err)
	}
	return nil
}

type jsonWriter struct {
	w     io.Writer
	count int
}

// jsonHeader is the start of a JSON file, up to its task list.
type jsonHeader struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	ExportedAt string `json:"exported_at"`
}

func newJSONWriter(w io.Writer, exported time.Time) (*jsonWriter, error) {
	head, err := json.Marshal(jsonHeader{Format: Name, Version: Version, ExportedAt: stamp(exported)})
	if err != nil {
		return nil, fmt.Errorf("taskfile: write json: %w", err)
	}
	// The header object is left open and the task list added to it, so
	// that tasks stream out one at a time yet the file is one JSON value.
	head = append(head[:len(head)-1], `,"tasks":[`...)
	if _, err := w.Write(head); err != nil {
		return nil, fmt.Errorf("taskfile: write json: %w", err)
	}
	return &jsonWriter{w: w}, nil
}

func (jw *jsonWriter) Write(t *models.Task) error {
	b, err := json.Marshal(recordOf(t))
	if err != nil {
		return fmt.Errorf("taskfile: write json: %w", err)
	}
	sep := ",\n"
	if jw.count == 0 {
		sep = "\n"
	}
	jw.count++
	if _, err := io.WriteString(jw.w, sep); err != nil {
		return fmt.Errorf("taskfile: write json: %w", err)
	}
	if _, err := jw.w.Write(b); err != nil {
		return fmt.Errorf("taskfile: write json: %w", err)
	}
	return nil
}

func (jw *jsonWriter) Close() error {
	if _, err := io.WriteString(jw.w, "\n]}\n"); err != nil {
		return fmt.Errorf("taskfile: write json: %w", err)
	}
	return nil
}
