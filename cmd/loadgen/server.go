package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the running taskapp.
type server struct {
	cmd    *exec.Cmd
	base   string
	pprof  string
	pgDB   string // the PostgreSQL database's name, "" on SQLite
	exited chan error
	log    *os.File
}

func startServer(ctx context.Context, o options, dbURL, dir, logPath string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, exited: make(chan error, 1), log: logf}
	if u, err := url.Parse(dbURL); err == nil && strings.HasPrefix(u.Scheme, "postgres") {
		s.pgDB = strings.TrimPrefix(u.Path, "/")
	}
	env := append(os.Environ(),
		"DATABASE_URL="+dbURL,
		"LISTEN_ADDR="+addr,
		"SESSION_SECRET="+hex.EncodeToString(secret),
		"SECURE_COOKIES=false",
	)
	if o.poolSize > 0 {
		env = append(env, "DATABASE_POOL_SIZE="+strconv.Itoa(o.poolSize))
	}
	if o.profileDir != "" {
		if s.pprof, err = freeAddr(); err != nil {
			return nil, err
		}
		env = append(env, "PPROF_ADDR="+s.pprof)
	}
	// Not CommandContext: an interrupt must stop the server gracefully,
	// and stop does that.
	s.cmd = exec.Command(o.bin, "serve")
	s.cmd.Env, s.cmd.Dir, s.cmd.Stdout, s.cmd.Stderr = env, dir, logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { s.exited <- s.cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.exited:
			s.exited <- err
			s.stop()
			return nil, fmt.Errorf("server exited before it was ready (%v); see %s", err, logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server not ready after 60 s; see %s", logPath)
		}
	}
}

// stop asks the server to shut down (SIGTERM), and kills it after 25 s.
func (s *server) stop() error {
	defer s.log.Close()
	if s.cmd.ProcessState != nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return err
		}
		if err != nil {
			return fmt.Errorf("server exited with %v after SIGTERM", err)
		}
		return nil
	case <-time.After(25 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return errors.New("server did not stop within 25 s of SIGTERM; killed")
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run loadgen inside the taskapp module, or pass -bin")
		}
		dir = parent
	}
}
