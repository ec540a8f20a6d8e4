package checks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkAuditGoroot audits the Go source tree, $(go env GOROOT)/src: the
// target is under 2 s on 2 cores (go test -bench AuditGoroot -cpu 2).
func BenchmarkAuditGoroot(b *testing.B) {
	if testing.Short() {
		b.Skip("reads the whole Go source tree")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "src")
	fsys := os.DirFS(dir)
	files := 0
	for b.Loop() {
		rep, err := Check(fsys, Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Factors) != 12 {
			b.Fatalf("%d factors", len(rep.Factors))
		}
		files += rep.Files
	}
	b.ReportMetric(float64(files)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkAuditRepo audits twelve's own repository: a typical Go service's
// size, the check a user runs most.
func BenchmarkAuditRepo(b *testing.B) {
	dir, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	for b.Loop() {
		if _, err := Check(fsys, Options{Dir: dir}); err != nil {
			b.Fatal(err)
		}
	}
}
