//go:build unix

package project

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
)

func TestReconcileRefusesWhatIsNoRegularFile(t *testing.T) {
	root, m := service(t, file("README.md", "# svc\n"))
	big := filepath.Join(root.Name(), "Makefile")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root.Name(), "Procfile"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"Makefile", "Makefile is larger than 8 MiB"},
		{"Procfile", "Procfile is not a regular file"}, // reading it would block for ever
	} {
		files := []render.File{file("README.md", "# svc\n"), file(tt.path, "web: svc\n")}
		_, err := reconcile(root, m, []render.File{file("README.md", "# svc\n")}, files, false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("planning over %s: %v, want %q", tt.path, err, tt.want)
		}
	}
}
