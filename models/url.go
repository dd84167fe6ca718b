package models

import (
	"errors"
	"strings"

	"taskapp/migrations"
)

// DefaultSQLitePath is where the embedded database lives when DATABASE_URL
// is unset.
const DefaultSQLitePath = "data/taskapp.db"

// Location is where a DATABASE_URL points: its dialect and, for SQLite,
// the database file.
type Location struct {
	Dialect migrations.Dialect
	// SQLitePath is the SQLite file; "" on PostgreSQL.
	SQLitePath string
}

// ParseURL reads DATABASE_URL: "" is SQLite at DefaultSQLitePath,
// sqlite:PATH (or sqlite://PATH) an SQLite file, postgres://… or
// postgresql://… PostgreSQL. It checks the form only; Open reaches the
// database. This is the one place the URL's forms are known, so that a
// caller can tell a bad setting (and the data directory) before opening.
func ParseURL(dbURL string) (Location, error) {
	switch {
	case dbURL == "":
		return Location{Dialect: migrations.SQLite, SQLitePath: DefaultSQLitePath}, nil
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//")
		if path == "" {
			return Location{}, errors.New("models: DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/taskapp.db")
		}
		return Location{Dialect: migrations.SQLite, SQLitePath: path}, nil
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return Location{Dialect: migrations.Postgres}, nil
	}
	return Location{}, errors.New("models: DATABASE_URL must start with postgres://, postgresql:// or sqlite:")
}
