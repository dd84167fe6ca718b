//go:build !unix

package models

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// dropIfClosed leaves closed connections to pgx's own checks where the
// socket cannot be peeked at without blocking.
func dropIfClosed(context.Context, *pgx.Conn) error { return nil }
