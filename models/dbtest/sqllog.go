package dbtest

import (
	"context"
	"log/slog"
	"sync"
)

// SQLLog is a slog handler that keeps the SQL text the store logs when
// its echo is on (models.Config.Echo, DATABASE_ECHO): the statements it
// really sends, arguments inlined, so that a test or a benchmark can
// EXPLAIN exactly those.
type SQLLog struct {
	mu    sync.Mutex
	stmts []string
}

func (l *SQLLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *SQLLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *SQLLog) WithGroup(string) slog.Handler            { return l }

// Handle keeps the sql attribute of GORM's trace group.
func (l *SQLLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key != "trace" || a.Value.Kind() != slog.KindGroup {
			return true
		}
		for _, g := range a.Value.Group() {
			if g.Key == "sql" {
				l.mu.Lock()
				l.stmts = append(l.stmts, g.Value.String())
				l.mu.Unlock()
			}
		}
		return true
	})
	return nil
}

// Take returns the statements logged since the last Take, oldest first,
// and forgets them.
func (l *SQLLog) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stmts
	l.stmts = nil
	return s
}
