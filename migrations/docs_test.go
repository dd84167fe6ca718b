package migrations_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models/dbtest"
)

// TestDocumentedSchema holds docs/database.md to the migrations: the
// index, trigger and constraint names it lists for the dialect under test
// are exactly those in a freshly migrated database's catalog, and its
// migration table lists exactly the embedded versions.
func TestDocumentedSchema(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../docs/database.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	s := dbtest.New(t)
	column := "SQLite"
	queries := map[string]string{
		"Indexes":                `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name <> 'goose_db_version'`,
		"Triggers and functions": `SELECT name FROM sqlite_master WHERE type = 'trigger'`,
	}
	if s.Dialect() == migrations.Postgres {
		column = "PostgreSQL"
		queries = map[string]string{
			"Indexes":                `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'`,
			"Triggers and functions": `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal`,
			"Constraints": `SELECT conname FROM pg_constraint
				WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text <> 'goose_db_version'`,
		}
	}
	for section, query := range queries {
		rows, err := s.DB().QueryContext(t.Context(), query)
		if err != nil {
			t.Fatal(err)
		}
		var catalog []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			catalog = append(catalog, name)
		}
		rows.Close()
		slices.Sort(catalog)
		if got := documented(t, doc, section, column); !slices.Equal(got, catalog) {
			t.Errorf("docs/database.md, %s, column %s:\n documented %q\n catalog    %q", section, column, got, catalog)
		}
	}

	var versions []string
	for _, v := range wantVersions {
		versions = append(versions, strconv.FormatInt(v, 10))
	}
	if got := documented(t, doc, "Migrations", "version"); !slices.Equal(got, versions) {
		t.Errorf("docs/database.md, Migrations: documented %q, embedded %q", got, versions)
	}
}

// documented returns the names in one column of the table under a "## "
// heading: the first `quoted` word of each cell (or the cell itself when
// nothing is quoted), skipping cells that say "—", sorted.
func documented(t *testing.T, doc, section, column string) []string {
	t.Helper()
	start := strings.Index(doc, "\n## "+section+"\n")
	if start < 0 {
		t.Fatalf("docs/database.md has no section %q", section)
	}
	body := doc[start+1:]
	if end := strings.Index(body[3:], "\n## "); end >= 0 {
		body = body[:end+3]
	}
	col := -1
	var names []string
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case col < 0:
			col = slices.Index(cells, column)
			if col < 0 {
				t.Fatalf("docs/database.md, %s: no column %q in %q", section, column, cells)
			}
			continue
		case strings.HasPrefix(cells[0], "---"):
			continue
		}
		cell := cells[col]
		if parts := strings.Split(cell, "`"); len(parts) >= 3 {
			cell = parts[1]
		}
		if cell != "—" && cell != "" {
			names = append(names, cell)
		}
	}
	slices.Sort(names)
	return names
}
