package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/models/taskfile"
	"taskapp/views"
)

// importBodyLimit bounds an import request: the file's own limit, plus
// room for the multipart framing and the CSRF token around it.
const importBodyLimit = 1<<20 + 16<<10

// maxListedRejections is how many refused rows the import page lists: a
// file with thousands of bad rows is most likely the wrong file, and the
// first ones say why.
const maxListedRejections = 100

// importTasks is POST /account/import: a task file, CSV or JSON, whose
// tasks are added all or nothing. On success it flashes the count and
// shows the list; otherwise it draws the import page with why nothing was
// imported (422, or 413 for a file over the limit).
func (h *AccountHandler) importTasks(c echo.Context) error {
	mr, err := uploadParts(c)
	if err != nil {
		return err
	}
	name, file, err := readUpload(mr)
	if err != nil {
		return importFailure(c, name, err)
	}
	if rejected := file.Rejected(); len(rejected) > 0 {
		return renderImport(c, http.StatusUnprocessableEntity, name, rejectedMessage(len(rejected), len(file.Rows)), rejected)
	}
	n, err := h.store.ImportTasks(c.Request().Context(), currentUser(c).ID, file.Tasks())
	var ie *models.ImportError
	if errors.As(err, &ie) {
		// The reader applies the same rules, so this is a rule the store
		// learnt after the reader: list what it found all the same.
		for i, fe := range ie.Rows {
			file.Rows[i].Problems = fe
		}
		rejected := file.Rejected()
		return renderImport(c, http.StatusUnprocessableEntity, name, rejectedMessage(len(rejected), len(file.Rows)), rejected)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Imported %d %s from %s.", n, plural(n, "task", "tasks"), name)
	if len(file.Ignored) > 0 {
		msg += " Columns it does not use were ignored: " + strings.Join(file.Ignored, ", ") + "."
	}
	flash(c, views.FlashSuccess, msg)
	return redirect(c, views.PathTasks)
}

// errNoFile is an import form sent without a file chosen.
var errNoFile = errors.New("web: import: no file")

// readUpload finds the file part of an import form and reads it. name is
// the file's name as the browser sent it, made safe to show.
func readUpload(mr *multipart.Reader) (name string, f *taskfile.File, err error) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, errNoFile
		}
		if err != nil {
			return "", nil, err
		}
		if part.FormName() != "file" {
			continue // NextPart reads past what is left of it
		}
		name = shownFileName(part.FileName())
		if part.FileName() == "" {
			return "", nil, errNoFile
		}
		f, err := taskfile.Read(part, taskfile.DefaultLimits)
		return name, f, err
	}
}

// importFailure draws the import page for a file that could not be read.
func importFailure(c echo.Context, name string, err error) error {
	var fe *taskfile.FormatError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, errNoFile):
		return renderImport(c, http.StatusUnprocessableEntity, "", "Choose a file to import.", nil)
	case errors.Is(err, taskfile.ErrTooLarge), errors.As(err, &tooBig):
		return renderImport(c, http.StatusRequestEntityTooLarge, name,
			fmt.Sprintf("The file is larger than %d KiB, the most one import takes. Split it into smaller files and import each.", taskfile.DefaultLimits.MaxBytes>>10), nil)
	case errors.As(err, &fe):
		return renderImport(c, http.StatusUnprocessableEntity, name, fe.Message, nil)
	}
	// Everything else went wrong reading the request's body: a malformed
	// form, or a client that stopped sending.
	return echo.NewHTTPError(http.StatusBadRequest, "unreadable upload").WithInternal(err)
}

func rejectedMessage(bad, total int) string {
	return fmt.Sprintf("%d of its %d %s %s a problem. Every row must be right before any is imported.",
		bad, total, plural(total, "row", "rows"), plural(bad, "has", "have"))
}

func renderImport(c echo.Context, status int, name, msg string, rejected []taskfile.Row) error {
	p := views.ImportPage{FileName: name, Message: msg}
	for i, r := range rejected {
		if i == maxListedRejections {
			p.More = len(rejected) - i
			break
		}
		p.Rejected = append(p.Rejected, views.ImportRejection{Where: r.Label, Reasons: r.Reasons()})
	}
	return render(c, status, views.Import(p), nil)
}

// shownFileName is an uploaded file's name as the pages show it: the
// browser's own name, printable and of a sane length.
func shownFileName(name string) string {
	name = models.Printable(name)
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:79]) + "…"
	}
	return name
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
