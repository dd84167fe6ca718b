package taskfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"taskapp/models"
)

// Limits bound what Read accepts, so that one upload cannot take more
// than its share of memory or of one transaction.
type Limits struct {
	MaxBytes int64 // the file's size
	MaxRows  int   // tasks in the file, valid or not
}

// DefaultLimits are the import's: 1 MiB holds thousands of typical tasks,
// and models.MaxImportTasks is what one import may add.
var DefaultLimits = Limits{MaxBytes: 1 << 20, MaxRows: models.MaxImportTasks}

// Row is one task read from a file, normalized and validated by the
// task form's rules (models.TaskInput).
type Row struct {
	// Label says where the row is, for a person: "Line 4" in a CSV file
	// (the line it starts on, which a spreadsheet shows as row 4), or
	// "Task 3" in a JSON file (its place in the list).
	Label string
	Task  models.TaskInput
	// Problems holds one message per bad field, keyed as the form's
	// fields are, or under "row" for the row as a whole. Empty means the
	// row can be imported.
	Problems models.FieldErrors
}

// Reasons are the row's problems as sentences, in field order.
func (r Row) Reasons() []string {
	out := make([]string, 0, len(r.Problems))
	for _, f := range slices.Sorted(maps.Keys(r.Problems)) {
		if label, ok := fieldLabels[f]; ok {
			out = append(out, label+": "+r.Problems[f])
		} else {
			out = append(out, r.Problems[f])
		}
	}
	return out
}

var fieldLabels = map[string]string{
	colTitle:       "Title",
	colDescription: "Description",
	colStatus:      "Status",
	colDueDate:     "Due date",
}

// File is what Read found in a file.
type File struct {
	Format Format
	Rows   []Row
	// Ignored names the columns (CSV) or members (JSON) the file has that
	// an import does not use, such as an "id" column: in file order for
	// CSV, sorted for JSON.
	Ignored []string
}

// Rejected is the rows with problems, in file order.
func (f *File) Rejected() []Row {
	var out []Row
	for _, r := range f.Rows {
		if len(r.Problems) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Tasks is every row's task, in file order.
func (f *File) Tasks() []models.TaskInput {
	out := make([]models.TaskInput, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = r.Task
	}
	return out
}

// Read reads a task file, CSV or JSON, told apart by its first character.
// A file it cannot read as either is a *FormatError, one over lim.MaxBytes
// ErrTooLarge; any other error is r's own. A file that reads returns
// every row, those with problems too: the caller decides what to do
// with them.
//
// Created and updated times in the file are read past and not kept: an
// import adds new tasks, stamped when they are imported.
func Read(r io.Reader, lim Limits) (*File, error) {
	br := bufio.NewReader(&limitedReader{r: r, n: lim.MaxBytes})
	f, err := read(br, lim)
	if err != nil {
		var fe *FormatError
		if errors.Is(err, ErrTooLarge) || errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("taskfile: read: %w", err)
	}
	if len(f.Rows) == 0 {
		return nil, formatErrorf("The file has no tasks in it.")
	}
	return f, nil
}

func read(br *bufio.Reader, lim Limits) (*File, error) {
	if head, err := br.Peek(len(bom)); err == nil && string(head) == bom {
		_, _ = br.Discard(len(bom))
	}
	first, err := firstByte(br)
	if errors.Is(err, io.EOF) {
		return nil, formatErrorf("The file is empty.")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case first == '{' || first == '[':
		return readJSON(br, lim)
	case first == 0x1f:
		return nil, formatErrorf("This is a compressed file, perhaps a taskapp backup. Import takes the .csv or .json file that “Download my tasks” makes.")
	case first == 'P' && isZip(br):
		return nil, formatErrorf("This looks like a spreadsheet workbook (.xlsx) or a zip file. Save it as “CSV UTF-8” and import that.")
	}
	return readCSV(br, lim)
}

// firstByte is the first byte that is not white space, left unread.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return b, br.UnreadByte()
		}
	}
}

func isZip(br *bufio.Reader) bool {
	head, _ := br.Peek(4)
	return string(head) == "PK\x03\x04"
}

// limitedReader fails with ErrTooLarge once more than n bytes are read,
// rather than ending quietly as io.LimitReader does: a cut-off file
// could otherwise read as a shorter valid one.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// newRow makes a row from the cells of a file: normalized, validated, and
// with the format's own problems (a cell of the wrong type) kept in front
// of the form's.
func newRow(label string, in models.TaskInput, problems models.FieldErrors) Row {
	in.Normalize()
	fe := in.Validate()
	maps.Copy(fe, problems)
	return Row{Label: label, Task: in, Problems: fe}
}

// parseStatus reads a status as the app stores it ("in_progress") or as
// it shows it ("In progress"), in any case. Anything else is passed on
// for validation to refuse.
func parseStatus(s string) models.TaskStatus {
	s = strings.TrimSpace(s)
	for _, st := range models.TaskStatuses() {
		if strings.EqualFold(s, string(st)) || strings.EqualFold(s, st.Label()) {
			return st
		}
	}
	return models.TaskStatus(s)
}

func tooManyRows(lim Limits) error {
	return formatErrorf("The file has more than %d tasks. Import at most %d at a time.", lim.MaxRows, lim.MaxRows)
}

// headerNames maps the names a CSV header may use to the columns, after
// lower-casing and turning spaces and hyphens into underscores.
var headerNames = map[string]string{
	"title":       colTitle,
	"description": colDescription,
	"status":      colStatus,
	"due_date":    colDueDate,
	"due":         colDueDate,
	"created":     colCreated,
	"created_at":  colCreated,
	"updated":     colUpdated,
	"updated_at":  colUpdated,
}

func headerName(cell string) string {
	s := strings.ToLower(strings.TrimSpace(cell))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

func readCSV(br *bufio.Reader, lim Limits) (*File, error) {
	cr := csv.NewReader(br)
	cr.Comma = delimiter(br)
	cr.FieldsPerRecord = -1 // counted here, to name the row
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(err)
	}
	f := &File{Format: CSV}
	at := map[string]int{}
	for i, cell := range header {
		col, known := headerNames[headerName(cell)]
		if !known {
			f.Ignored = append(f.Ignored, strings.TrimSpace(cell))
			continue
		}
		if _, dup := at[col]; dup {
			return nil, formatErrorf("The first row names the column %q twice.", col)
		}
		at[col] = i
	}
	if _, ok := at[colTitle]; !ok {
		return nil, formatErrorf("The first row must name the columns, and one of them must be “title”. It reads: %s.", quoteCells(header))
	}
	cell := func(rec []string, col string) string {
		if i, ok := at[col]; ok {
			return readCell(rec[i])
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		if blank(rec) {
			continue // a spreadsheet's trailing empty rows
		}
		if len(f.Rows) == lim.MaxRows {
			return nil, tooManyRows(lim)
		}
		line, _ := cr.FieldPos(0)
		label := fmt.Sprintf("Line %d", line)
		if len(rec) != len(header) {
			f.Rows = append(f.Rows, Row{Label: label, Problems: models.FieldErrors{
				"row": fmt.Sprintf("Has %d cells, but the first row names %d columns.", len(rec), len(header)),
			}})
			continue
		}
		f.Rows = append(f.Rows, newRow(label, models.TaskInput{
			Title:       cell(rec, colTitle),
			Description: cell(rec, colDescription),
			Status:      parseStatus(cell(rec, colStatus)),
			DueDate:     cell(rec, colDueDate),
		}, nil))
	}
}

// delimiter is the CSV's separator: a comma, unless the first line has
// none and semicolons or tabs instead, as spreadsheets in locales with a
// decimal comma write.
func delimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(4096)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	switch {
	case bytes.IndexByte(head, ',') >= 0:
		return ','
	case bytes.IndexByte(head, ';') >= 0:
		return ';'
	case bytes.IndexByte(head, '\t') >= 0:
		return '\t'
	}
	return ','
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func quoteCells(cells []string) string {
	q := make([]string, 0, len(cells))
	for _, c := range cells[:min(len(cells), 6)] {
		q = append(q, fmt.Sprintf("%q", models.Printable(c)))
	}
	return strings.Join(q, ", ")
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && !errors.Is(err, ErrTooLarge) {
		return formatErrorf("Line %d of the CSV file cannot be read: %v.", pe.StartLine, pe.Err)
	}
	return err
}

func readJSON(br *bufio.Reader, lim Limits) (*File, error) {
	dec := json.NewDecoder(br)
	f := &File{Format: JSON}
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(err)
	}
	if tok == json.Delim('[') {
		// A bare list of tasks, as someone might write by hand.
		if err := readJSONTasks(dec, f, lim); err != nil {
			return nil, err
		}
	} else if err := readJSONObject(dec, f, lim); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil && !isSyntax(err) {
			return nil, err
		}
		return nil, formatErrorf("The file goes on after the end of its JSON.")
	}
	return f, nil
}

// readJSONObject reads the file object after its "{".
func readJSONObject(dec *json.Decoder, f *File, lim Limits) error {
	tasks := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			var name string
			if err := dec.Decode(&name); err != nil || name != Name {
				return formatErrorf("This JSON file is not a taskapp task list: its “format” is not %q.", Name)
			}
		case "version":
			var v int
			if err := dec.Decode(&v); err != nil || v < 1 {
				return formatErrorf("The file's “version” must be a whole number from 1.")
			}
			if v > Version {
				return formatErrorf("This file was made by a newer taskapp (file version %d; this one reads up to %d).", v, Version)
			}
		case "tasks":
			tok, err := dec.Token()
			if err != nil {
				return jsonError(err)
			}
			if tok != json.Delim('[') {
				return formatErrorf("“tasks” must be a list of tasks, like [{\"title\": \"Buy milk\"}].")
			}
			if err := readJSONTasks(dec, f, lim); err != nil {
				return err
			}
			tasks = true
		default:
			// exported_at, or anything else: read past it.
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return jsonError(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing "}"
		return jsonError(err)
	}
	if !tasks {
		return formatErrorf("The JSON has no “tasks” list.")
	}
	return nil
}

// readJSONTasks reads a list of tasks after its "[", through its "]".
func readJSONTasks(dec *json.Decoder, f *File, lim Limits) error {
	ignored := map[string]bool{}
	for dec.More() {
		if len(f.Rows) == lim.MaxRows {
			return tooManyRows(lim)
		}
		label := fmt.Sprintf("Task %d", len(f.Rows)+1)
		var members map[string]json.RawMessage
		if err := dec.Decode(&members); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return jsonError(err)
			}
			// The value was read whole; the list goes on after it.
			f.Rows = append(f.Rows, Row{Label: label, Problems: models.FieldErrors{
				"row": "Must be an object, like {\"title\": \"Buy milk\"}.",
			}})
			continue
		}
		problems := models.FieldErrors{}
		text := func(name string) string {
			raw, ok := members[name]
			if !ok {
				return ""
			}
			var s *string
			if err := json.Unmarshal(raw, &s); err != nil {
				problems[name] = "Must be text, in quotes."
				return ""
			}
			if s == nil {
				return ""
			}
			return *s
		}
		in := models.TaskInput{
			Title:       text(colTitle),
			Description: text(colDescription),
			Status:      parseStatus(text(colStatus)),
			DueDate:     text(colDueDate),
		}
		for name := range members {
			if !slices.Contains(columns, name) && !ignored[name] {
				ignored[name] = true
				f.Ignored = append(f.Ignored, name)
			}
		}
		f.Rows = append(f.Rows, newRow(label, in, problems))
	}
	// Map order is random; the message should not be.
	slices.Sort(f.Ignored)
	if _, err := dec.Token(); err != nil { // the closing "]"
		return jsonError(err)
	}
	return nil
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

func jsonError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// The decoder's offsets count from the value it was decoding,
		// not from the start of the file: no use to a person.
		return formatErrorf("The file is not valid JSON: %v.", se)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return formatErrorf("The JSON ends too soon: the file is cut short.")
	}
	return err
}
