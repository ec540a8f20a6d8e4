package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// treeHash lists every file below dir with its content, to see that nothing
// changed.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ".twelve" {
			return fs.SkipDir // twelve's lock and state, not the service
		}
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestAddAsksWhichComponentsAtATerminal(t *testing.T) {
	p := &fakePrompter{confirm: true}
	if code, stderr := runAtTerminal(t, p, "new", "svc", "--no-input", "--without", "ci,docker,healthcheck,procfile,systemd"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	before := treeHash(t, "svc")

	// Ctrl-C at the question: 130, nothing written.
	p = &fakePrompter{cancelAt: "Components to add"}
	if code, _ := runAtTerminalIn(t, p, "add", "--dir", "svc"); code != exitInterrupt {
		t.Errorf("Ctrl-C at the components: exit %d, want 130", code)
	}
	// No at the confirmation: 1, nothing written.
	p = &fakePrompter{components: []string{"postgres"}, confirm: false}
	code, stderr := runAtTerminalIn(t, p, "add", "--dir", "svc")
	if code != exitFailure || !strings.Contains(stderr, "not confirmed: nothing was written") {
		t.Errorf("no at the confirmation: exit %d: %s", code, stderr)
	}
	if treeHash(t, "svc") != before {
		t.Fatal("a cancelled add changed the service")
	}
	// The components not yet there are offered, none checked; the plan is
	// shown before the confirmation.
	p = &fakePrompter{components: []string{"postgres"}, confirm: true}
	code, stderr = runAtTerminalIn(t, p, "add", "--dir", "svc")
	if code != 0 {
		t.Fatalf("add at a terminal: exit %d: %s", code, stderr)
	}
	var offered []string
	for _, o := range p.offered {
		offered = append(offered, o.Name)
	}
	if slices.Contains(offered, "metrics") || !slices.Contains(offered, "postgres") || len(p.checked) != 0 {
		t.Errorf("offered %v with %v checked, want the components svc lacks, none checked", offered, p.checked)
	}
	if !strings.Contains(stderr, "twelve add healthcheck, postgres (healthcheck needed by the others) in svc") || !strings.Contains(stderr, "create    internal/postgres/postgres.go") {
		t.Errorf("no plan before the confirmation:\n%s", stderr)
	}
	if m := readManifest(t, "svc"); !slices.Equal(m.Components, []string{"healthcheck", "metrics", "postgres"}) {
		t.Errorf("components after add: %v", m.Components)
	}

	// --no-input at a terminal: a usage error, as without one.
	code, stderr = runAtTerminalIn(t, &fakePrompter{}, "add", "--dir", "svc", "--no-input")
	if code != exitUsage || !strings.Contains(stderr, "twelve add needs the components to add") {
		t.Errorf("add --no-input without components: exit %d: %s", code, stderr)
	}
}

func TestAddOffersStandaloneComponentsInAPlainModule(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("go.mod", []byte("module example.com/plain\n\ngo 1.25\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &fakePrompter{components: []string{"healthcheck"}, confirm: true}
	if code, stderr := runAtTerminalIn(t, p, "add"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, o := range p.offered {
		if o.Name != "healthcheck" {
			t.Errorf("offered %s, which cannot stand alone", o.Name)
		}
	}
	if _, err := os.Stat(filepath.Join("internal", "health", "health.go")); err != nil {
		t.Error(err)
	}
}

// runAtTerminalIn is runAtTerminal in the current directory.
func runAtTerminalIn(t *testing.T, p *fakePrompter, args ...string) (code int, stderr string) {
	t.Helper()
	f := terminalFactory(t, p)
	code = execute(context.Background(), f, args)
	return code, f.io.ErrOut.(*bytes.Buffer).String()
}
