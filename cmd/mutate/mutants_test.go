package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMutantsApply keeps the list in step with the code: each mutant's
// original text occurs exactly once, its replacement differs, and a mutated
// Go file still parses, so `task mutate` reports no STALE or BROKEN mutant
// for a reason a quick test can see.
func TestMutantsApply(t *testing.T) {
	names := map[string]bool{}
	for _, m := range mutants {
		t.Run(m.Name, func(t *testing.T) {
			if names[m.Name] {
				t.Errorf("name used twice")
			}
			names[m.Name] = true
			if m.From == m.To {
				t.Fatal("replacement equals the original")
			}
			if m.Only != "" && m.Only != "postgres" && m.Only != "sqlite" {
				t.Errorf("Only = %q", m.Only)
			}
			src, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(m.File)))
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(src, []byte(m.From)); n != 1 {
				t.Fatalf("original text occurs %d times in %s", n, m.File)
			}
			if strings.HasSuffix(m.File, ".go") {
				mutated := bytes.Replace(src, []byte(m.From), []byte(m.To), 1)
				if _, err := parser.ParseFile(token.NewFileSet(), m.File, mutated, 0); err != nil {
					t.Errorf("mutated file does not parse: %v", err)
				}
			}
		})
	}
}
