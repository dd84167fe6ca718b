package bulkload

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"taskapp/models"
)

// copyChunk is how many rows COPY pulls between progress reports.
const copyChunk = 10000

// progressSource reports progress every copyChunk rows while COPY pulls
// rows.
type progressSource struct {
	*taskGen
	progress func(int)
	pending  int
}

func (p *progressSource) Next() bool {
	if !p.taskGen.Next() {
		p.progress(p.pending)
		return false
	}
	if p.pending++; p.pending == copyChunk {
		p.progress(p.pending)
		p.pending = 0
	}
	return true
}

// copyTasks loads gen's tasks on PostgreSQL with COPY, in one transaction.
func copyTasks(ctx context.Context, db *sql.DB, gen *taskGen, progress func(int)) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return models.Classify("bulkload: connection", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		rebuild, err := deferTaskIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tasks"}, taskColumns, &progressSource{taskGen: gen, progress: progress}); err != nil {
			return err
		}
		for _, stmt := range rebuild {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
	return models.Classify("bulkload: copy tasks", err)
}

// deferTaskIndexes speeds up a bulk load into an empty tasks table: inside
// tx it drops the table's secondary indexes and foreign keys and returns
// the statements that put them back. Building an index once over a million
// rows is several times faster than maintaining it row by row, and one
// foreign key check by join beats one per row. The definitions are read
// from the catalog, so the migrations stay the only place they are
// written; if the load fails, the rollback restores them. The table is
// locked until commit, which is why this is done only when it is empty
// (a fresh volume seed); a table that holds tasks is loaded as it is.
func deferTaskIndexes(ctx context.Context, tx pgx.Tx) ([]string, error) {
	var empty bool
	if err := tx.QueryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM tasks)").Scan(&empty); err != nil || !empty {
		return nil, err
	}
	rows, err := tx.Query(ctx, `
		SELECT format('DROP INDEX %I.%I', n.nspname, i.relname), pg_get_indexdef(i.oid)
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = i.relnamespace
		WHERE x.indrelid = 'tasks'::regclass
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
		UNION ALL
		SELECT format('ALTER TABLE tasks DROP CONSTRAINT %I', conname),
		       format('ALTER TABLE tasks ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
		FROM pg_constraint
		WHERE conrelid = 'tasks'::regclass AND contype = 'f'`)
	if err != nil {
		return nil, err
	}
	var drops, rebuild []string
	for rows.Next() {
		var drop, create string
		if err := rows.Scan(&drop, &create); err != nil {
			rows.Close()
			return nil, err
		}
		drops, rebuild = append(drops, drop), append(rebuild, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, stmt := range drops {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return nil, err
		}
	}
	return rebuild, nil
}
