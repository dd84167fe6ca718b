package web

import (
	"net"
	"net/http"
	"testing"
)

// closed reports whether c's far end has been closed.
func closed(c net.Conn) bool {
	_, err := c.Write([]byte{0})
	return err != nil
}

// On shutdown the connections that carry no request, accepted but silent
// or idle between requests, are closed at once; those with a request in
// flight are left to finish it and closed when they go idle; any
// accepted after shutdown began is closed as it arrives. (Go's Shutdown
// alone would wait 5 s for the silent ones.)
func TestShutdownClosesConnectionsWithoutARequest(t *testing.T) {
	t.Parallel()
	var seen []http.ConnState
	tr := newConnTracker(func(_ net.Conn, s http.ConnState) { seen = append(seen, s) })
	pipe := func() (server, client net.Conn) {
		server, client = net.Pipe()
		go func() { // drain, so that writes from the client side complete
			buf := make([]byte, 16)
			for {
				if _, err := server.Read(buf); err != nil {
					return
				}
			}
		}()
		t.Cleanup(func() { server.Close(); client.Close() })
		return server, client
	}
	newSrv, newCli := pipe()
	idleSrv, idleCli := pipe()
	busySrv, busyCli := pipe()
	tr.track(newSrv, http.StateNew)
	tr.track(idleSrv, http.StateNew)
	tr.track(idleSrv, http.StateActive)
	tr.track(idleSrv, http.StateIdle)
	tr.track(busySrv, http.StateNew)
	tr.track(busySrv, http.StateActive)

	tr.closeQuiet()
	if !closed(newCli) {
		t.Error("a connection without its first request was left open")
	}
	if !closed(idleCli) {
		t.Error("an idle connection was left open")
	}
	if closed(busyCli) {
		t.Fatal("a connection with a request in flight was closed")
	}
	tr.track(busySrv, http.StateIdle)
	if !closed(busyCli) {
		t.Error("a connection that finished its request after shutdown began was left open")
	}
	lateSrv, lateCli := pipe()
	tr.track(lateSrv, http.StateNew)
	if !closed(lateCli) {
		t.Error("a connection accepted after shutdown began was left open")
	}
	if len(seen) != 8 {
		t.Errorf("the server's own ConnState hook saw %d changes, want 8", len(seen))
	}
}
