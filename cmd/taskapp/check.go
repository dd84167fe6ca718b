package main

import (
	"context"
	"fmt"
	"io"

	"taskapp/models/integrity"
)

func newCheckFlags() commandFlags {
	return newCommandFlags("check", `Usage: taskapp check

Checks the database that DATABASE_URL names, changing nothing:
  - its schema version against the migrations this binary carries;
  - its tables, columns, named constraints, indexes, triggers and
    functions against a scratch copy built from those migrations (a
    temporary SQLite file, or a temporary schema on PostgreSQL);
  - every row against every foreign key and CHECK constraint;
  - on SQLite, PRAGMA integrity_check and foreign_key_check.
Prints each check with "ok" or its problems. Exits 0 only when all is well,
1 when a problem was found.
`)
}

func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := newCheckFlags().parse(args, stdout); err != nil {
		return ignoreHelp(err)
	}
	store, err := openConfigured(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	report, err := integrity.Run(ctx, store)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	for _, c := range report.Checks {
		if len(c.Problems) == 0 {
			fmt.Fprintf(stdout, "ok      %s\n", c.Name)
			continue
		}
		fmt.Fprintf(stdout, "FAILED  %s\n", c.Name)
		for _, p := range c.Problems {
			fmt.Fprintf(stdout, "        - %s\n", p)
		}
	}
	if n := report.Problems(); n > 0 {
		return fmt.Errorf("check: %d problem(s) found in the %s database", n, store.Dialect())
	}
	fmt.Fprintf(stdout, "all %d checks passed (%s)\n", len(report.Checks), store.Dialect())
	return nil
}
