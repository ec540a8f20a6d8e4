package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
)

// Every hostile input to new exits 2 with one short line on stderr and
// writes nothing: not the target, not a parent, not a temporary directory.
func TestNewRefusesHostileInput(t *testing.T) {
	files := map[string]string{
		"huge.yaml":  strings.Repeat(" ", 2<<20),
		"bomb.yaml":  "files:\n  a: &a [x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ncomponents: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nname: svc\n",
		"deep.yaml":  "name: " + strings.Repeat("[", 100000),
		"types.json": `{"name": "svc", "port": "eighty"}`,
		"twice.yaml": "name: svc\nname: x\n",
		"empty.yaml": "",
	}
	src := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("a", 300)
	for _, args := range [][]string{
		{"../x"}, {"--", "-rf"}, {""}, {long}, {"my service"}, {"x;rm -rf ~"}, {"$(id)"}, {"`id`"},
		{"é"}, {"con"}, {"aux"}, {"nul"}, {"com1"}, {"lpt1"}, {"x."}, {"x\x1b[2J"},
		{"x", "--module", "../x"}, {"x", "--module", long}, {"x", "--module", "a b"}, {"x", "--module", "x/$(id)"},
		{"x", "--module", "é/x"}, {"x", "--module", "x/con"}, {"x", "--module", "x/y."}, {"x", "--module", "-rf"},
		{"x", "--prefix", "$(id)"}, {"x", "--prefix", strings.Repeat("A", 100)}, {"x", "--port", "0"}, {"x", "--port", "65536"},
		{"x", "--with", "../x"}, {"x", "--without", "$(id)"}, {"x", "--with", long}, {"x", "--with", "metrics", "--without", "metrics"},
		{"--answers", filepath.Join(src, "huge.yaml")}, {"--answers", filepath.Join(src, "bomb.yaml")},
		{"--answers", filepath.Join(src, "deep.yaml")}, {"--answers", filepath.Join(src, "types.json")},
		{"--answers", filepath.Join(src, "twice.yaml")}, {"--answers", filepath.Join(src, "empty.yaml")},
		{"--answers", filepath.Join(src, "nosuch.yaml")}, {"--answers", "/dev/zero"}, {"--answers", src},
	} {
		parent := t.TempDir()
		var stderr bytes.Buffer
		io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &stderr}
		code := cli.Main(context.Background(), append(append([]string{"new"}, args...), "--dir", filepath.Join(parent, "a", "svc")), io, "v0")
		msg := stderr.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || len(msg) > 400 || strings.ContainsAny(msg, "\x1b\x00") || !strings.HasPrefix(msg, "twelve: ") {
			t.Errorf("new %q: exit %d, stderr %q; want exit 2 and one short line", args, code, msg)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("new %q wrote %v", args, entries)
		}
	}
}

// Every hostile component name given to add exits 2, with one line, and
// the service is as it was.
func TestAddRefusesHostileComponents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	if code := cli.Main(context.Background(), []string{"new", "svc", "--dir", dir, "--without", "metrics"}, io, "v0"); code != 0 {
		t.Fatal("new failed")
	}
	before := snapshot(t, dir)
	for _, name := range []string{"../x", "-rf", "", "$(id)", strings.Repeat("a", 300), "metrics/../../x", "é", "con"} {
		var stderr bytes.Buffer
		io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &stderr}
		code := cli.Main(context.Background(), []string{"add", "--dir", dir, "--", name}, io, "v0")
		if msg := stderr.String(); code != 2 || strings.Count(msg, "\n") != 1 || len(msg) > 400 {
			t.Errorf("add %q: exit %d, stderr %q; want exit 2 and one short line", name, code, msg)
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("hostile adds changed the service")
	}
}

// snapshot is every path below dir with its mode and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b.WriteString(p + " " + info.Mode().String() + "\n")
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
