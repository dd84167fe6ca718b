// Package migrations holds the schema as goose SQL migrations, one set per
// dialect, embedded in the binary so that a release carries its own schema.
//
// File names follow the schema spec's timestamp convention in the form goose
// accepts (YYYYMMDDHHMM_description.sql); both dialects use the same versions
// so `migrate status` reads the same everywhere.
package migrations

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Dialect names the SQL dialect a migration set is written for.
type Dialect string

// The dialects taskapp supports.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// advisoryLockID identifies taskapp's migration lock on PostgreSQL, so that
// several instances starting at once apply each migration exactly once.
const advisoryLockID = 0x7461736b617070 // "taskapp"

// VersionTable is where goose records the applied migrations (its default
// name); its newest version is the database's schema version.
const VersionTable = "goose_db_version"

// Latest is the newest migration version this binary carries for dialect:
// the schema version a database has after `migrate up`.
func Latest(dialect Dialect) (int64, error) {
	names, err := fs.Glob(files, string(dialect)+"/*.sql")
	if err != nil || len(names) == 0 {
		return 0, fmt.Errorf("migrations: no %q migrations", dialect)
	}
	var latest int64
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return 0, fmt.Errorf("migrations: %w", err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// NewProvider returns a goose provider for db's dialect. On PostgreSQL it
// holds a session-level advisory lock while migrating.
func NewProvider(db *sql.DB, dialect Dialect, logger *slog.Logger) (*goose.Provider, error) {
	fsys, err := fs.Sub(files, string(dialect))
	if err != nil {
		return nil, fmt.Errorf("migrations: %s set: %w", dialect, err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger), goose.WithVerbose(true))
	}
	var gd goose.Dialect
	switch dialect {
	case Postgres:
		gd = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(advisoryLockID))
		if err != nil {
			return nil, fmt.Errorf("migrations: locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case SQLite:
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	p, err := goose.NewProvider(gd, db, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Name is the description part of a migration's file name:
// 202512301000_create_users_table.sql → create_users_table.
func Name(src *goose.Source) string {
	name := strings.TrimSuffix(path.Base(src.Path), path.Ext(src.Path))
	return strings.TrimPrefix(name, strconv.FormatInt(src.Version, 10)+"_")
}
