package models

import (
	"database/sql/driver"
	"strings"
	"unicode/utf8"

	gosqlite "github.com/glebarez/go-sqlite"
)

// Text from a request passes through here, in one of three ways: checked
// before it is stored (storable), made safe to show back in a form
// (Printable), or made into search text (searchText).

// storable reports whether the database can hold s: valid UTF-8 with no NUL
// byte (PostgreSQL rejects both; SQLite would store them and hand back text
// no page can show faithfully).
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// Printable is s as it can be shown back in a form: invalid UTF-8 and NUL
// bytes become U+FFFD. Validation sees the raw input; forms show this.
func Printable(s string) string {
	if storable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// searchText is what a search looks for: a search box is no place for a
// 422, so what cannot be stored is dropped, and the ends are trimmed.
func searchText(query string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(query, ""), "\x00", ""))
}

// sqliteFold is the SQL function that lower-cases text on SQLite as
// strings.ToLower does. SQLite's own lower() and LIKE fold ASCII only, so
// without it a search for "éclair" would miss "Éclair" there while
// PostgreSQL's ILIKE finds it.
const sqliteFold = "taskapp_fold"

// The driver keeps registered functions for every connection it opens
// afterwards; registering once, before any Open, is the only way it offers.
func init() {
	gosqlite.MustRegisterDeterministicScalarFunction(sqliteFold, 1, func(_ *gosqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil // NULL stays NULL
	})
}
