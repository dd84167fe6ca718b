package web

import (
	"bufio"
	"mime"

	"github.com/labstack/echo/v4"

	"taskapp/models/taskfile"
)

// exportBuffer holds the start of a download before anything is sent: if
// the first batch of tasks cannot be read, the person still gets an error
// page instead of a file that stops short.
const exportBuffer = 32 << 10

// export is GET /account/tasks.csv and /account/tasks.json: the signed-in
// user's tasks as a file, streamed from the database a batch at a time.
// The file is named for the day in the user's time zone.
func (h *AccountHandler) export(f taskfile.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		now := h.now()
		res := c.Response()
		hdr := res.Header()
		hdr.Set(echo.HeaderContentType, f.ContentType())
		hdr.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{
			"filename": f.FileName(now.In(userLocation(c))),
		}))
		hdr.Set("Cache-Control", "no-store")
		err := h.writeExport(c, bufio.NewWriterSize(res, exportBuffer), f)
		if err != nil && !res.Committed {
			// The error page must not arrive as a download.
			hdr.Del(echo.HeaderContentDisposition)
			hdr.Del(echo.HeaderContentType)
		}
		return err
	}
}

func (h *AccountHandler) writeExport(c echo.Context, bw *bufio.Writer, f taskfile.Format) error {
	w, err := taskfile.NewWriter(bw, f, h.now())
	if err != nil {
		return err
	}
	if err := h.store.EachTask(c.Request().Context(), currentUser(c).ID, w.Write); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return bw.Flush()
}
