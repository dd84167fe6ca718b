//go:build unix

package models

import (
	"context"
	"crypto/tls"
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// dropIfClosed runs each time database/sql hands out a pooled connection.
// PostgreSQL ends idle sessions when it shuts down (a restart, a
// failover) by sending a FATAL message and closing the socket; a write
// sent on such a connection would fail after it was sent, and could not
// be told apart from one the server ran. One non-blocking peek at the
// socket finds the closed ones, and driver.ErrBadConn makes database/sql
// discard them before anything is sent. An idle connection has nothing to
// read; anything at all means the server spoke out of turn.
func dropIfClosed(_ context.Context, conn *pgx.Conn) error {
	if serverHasSpoken(conn.PgConn().Conn()) {
		return driver.ErrBadConn
	}
	return nil
}

func serverHasSpoken(c net.Conn) bool {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	spoken := false
	var buf [1]byte
	// Control, not Read: pgx may have a background read pending on the
	// socket, which holds the read lock until data comes. The peek
	// neither blocks nor consumes anything, so it may run beside it.
	err = raw.Control(func(fd uintptr) {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// n > 0: a message is waiting; n == 0 without error: the server
		// closed the socket; EAGAIN: nothing to read, the healthy case.
		spoken = n > 0 || (n == 0 && err == nil) || (err != nil && !errors.Is(err, syscall.EAGAIN))
	})
	return spoken || err != nil
}
