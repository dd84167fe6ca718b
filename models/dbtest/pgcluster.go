package dbtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// PGBin is where the PostgreSQL server binaries are on Debian and Ubuntu.
const PGBin = "/usr/lib/postgresql/15/bin"

// Cluster is a private PostgreSQL server that a test starts and stops at
// will: its own data directory and port, run as the postgres OS user, so
// that restarts and replicas never touch the shared server on 5432.
type Cluster struct {
	Dir  string // data directory, owned by postgres
	Port int
	root string // temporary directory holding Dir, the socket and the log
}

// StartCluster initdbs and starts a private cluster for t, and removes it
// when t ends. It skips t where the binaries or the postgres user are
// missing, or where the test cannot switch to that user.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	requireBinaries(t)
	c := newCluster(t)
	c.run(t, "initdb", "-D", c.Dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
	c.configure(t, "")
	c.Start(t)
	return c
}

// StartReplica makes a streaming replica of c with pg_basebackup -R and
// starts it on a port of its own. applyDelay, if not zero, is the
// replica's recovery_min_apply_delay: it receives the primary's WAL at
// once but replays each commit that much later, a replica lagging on
// purpose.
func (c *Cluster) StartReplica(t testing.TB, applyDelay time.Duration) *Cluster {
	t.Helper()
	r := newCluster(t)
	c.run(t, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres",
		"-D", r.Dir, "-R", "-X", "stream", "--no-sync")
	extra := ""
	if applyDelay > 0 {
		extra = fmt.Sprintf("recovery_min_apply_delay = '%dms'\n", applyDelay.Milliseconds())
	}
	r.configure(t, extra)
	r.Start(t)
	return r
}

func requireBinaries(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(PGBin, "pg_ctl")); err != nil {
		t.Skipf("dbtest: private PostgreSQL clusters need the server binaries in %s: %v", PGBin, err)
	}
	if _, err := user.Lookup("postgres"); err != nil {
		t.Skip("dbtest: private PostgreSQL clusters run as the postgres OS user, which does not exist here")
	}
	if os.Geteuid() != 0 {
		t.Skip("dbtest: private PostgreSQL clusters need root to run the server as the postgres user (runuser)")
	}
}

// newCluster makes the directories for a cluster, owned by postgres, and
// picks a spare port. The cluster is stopped and removed when t ends.
func newCluster(t testing.TB) *Cluster {
	t.Helper()
	root, err := os.MkdirTemp("", "taskapp-pg-")
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	c := &Cluster{root: root, Dir: filepath.Join(root, "data"), Port: sparePort(t)}
	u, _ := user.Lookup("postgres")
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(root, uid, gid); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		// Immediate: nothing in a throwaway cluster needs a checkpoint.
		_ = c.pgctl("stop", "-m", "immediate")
		os.RemoveAll(root)
	})
	return c
}

// configure writes what every private cluster needs: loopback only, the
// port, the unix socket beside the data, no fsync (nothing here must
// survive a crash, and the tests restart clusters often).
func (c *Cluster) configure(t testing.TB, extra string) {
	t.Helper()
	conf := fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = off\n%s",
		c.Port, c.root, extra)
	f, err := os.OpenFile(filepath.Join(c.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(conf)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatalf("dbtest: configure cluster: %v", err)
	}
}

// URL is the DATABASE_URL of the cluster's postgres database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.pgctl("start", "-w", "-l", filepath.Join(c.root, "log")); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.root, "log"))
		t.Fatalf("dbtest: start cluster: %v\n%s", err, log)
	}
}

// Stop stops the server the way an operator's restart does (fast: open
// transactions are rolled back, sessions ended) and waits until it is down.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.pgctl("stop", "-w", "-m", "fast"); err != nil {
		t.Fatalf("dbtest: stop cluster: %v", err)
	}
}

func (c *Cluster) pgctl(args ...string) error {
	args = append(args, "-D", c.Dir)
	return c.exec(append([]string{"pg_ctl"}, args...)...)
}

func (c *Cluster) run(t testing.TB, args ...string) {
	t.Helper()
	if err := c.exec(args...); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
}

// exec runs a server binary as the postgres user.
func (c *Cluster) exec(args ...string) error {
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(PGBin, args[0])}, args[1:]...)...)
	cmd.Dir = c.root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", args[0], err, out.String())
	}
	return nil
}

// sparePort asks the kernel for a free loopback port.
func sparePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("dbtest: spare port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
