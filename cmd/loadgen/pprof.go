package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// captureProfiles takes a CPU profile of the server over d, then a heap
// profile (whose alloc_space/alloc_objects views show allocation since
// start), from the server's pprof listener.
func captureProfiles(pprofAddr, dir string, c int, d time.Duration) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	get := func(path, file string, timeout time.Duration) (string, error) {
		client := &http.Client{Timeout: timeout}
		resp, err := client.Get("http://" + pprofAddr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("pprof %s: status %d", path, resp.StatusCode)
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, resp.Body); err != nil {
			return "", err
		}
		p := filepath.Join(dir, file)
		return p, os.WriteFile(p, buf.Bytes(), 0o644)
	}
	secs := max(1, int(d.Seconds()))
	cpu, err := get("/debug/pprof/profile?seconds="+strconv.Itoa(secs), fmt.Sprintf("cpu-c%d.pprof", c), d+30*time.Second)
	if err != nil {
		return nil, fmt.Errorf("CPU profile (is PPROF_ADDR wired into taskapp serve?): %w", err)
	}
	heap, err := get("/debug/pprof/allocs", fmt.Sprintf("allocs-c%d.pprof", c), 30*time.Second)
	if err != nil {
		return []string{cpu}, err
	}
	return []string{cpu, heap}, nil
}
