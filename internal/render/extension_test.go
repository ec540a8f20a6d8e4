package render_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// The throwaway component of TestAComponentNeedsNoChangeToTheBase: what
// templates/README.md's "Adding a component" says a component may hold.
const (
	greetlib        = "example.com/greetlib"
	greetlibVersion = "v1.0.0"
	greetlibGo      = "package greetlib\n\n// Greet greets who.\nfunc Greet(greeting, who string) string { return greeting + \", \" + who + \" (greetlib)\" }\n"
)

var greeting = map[string]string{
	"component.json": `{
  "summary": "a greeting at GET /greeting, from a Go module of its own",
  "modules": {"` + greetlib + `": "` + greetlibVersion + `"},
  "vars": [
    {"name": "GREETING", "group": "Greeting", "field": "Text", "type": "string", "default": "hello", "description": "how GET /greeting greets"},
    {"name": "GREETER_TOKEN", "group": "Greeting", "field": "Token", "type": "string", "secret": true, "description": "a secret, so that compose.yaml lists secrets"}
  ]
}`,
	"internal/greeting/greeting.go.tmpl": `// Package greeting greets.
package greeting

import "` + greetlib + `"

// Greeter greets with its greeting.
type Greeter struct{ Greeting string }

// Greet greets who.
func (g *Greeter) Greet(who string) string { return greetlib.Greet(g.Greeting, who) }
`,
	"cmd/{{.Name}}/greeting.go.tmpl": `package main

import (
	"fmt"
	"net/http"

	"{{.Module}}/internal/config"
	"{{.Module}}/internal/greeting"
)

// addGreeting wires the greeting component: GET /greeting.
func addGreeting(cfg config.Config, s *service) error {
	g := &greeting.Greeter{Greeting: cfg.Greeting.Text}
	s.backing.Greeting = g
	s.handle("GET /greeting", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, g.Greet(r.URL.Query().Get("who")))
	}))
	return nil
}
`,
	// One fragment for every extension point; each carries the word
	// greeting-POINT where the file's syntax allows a mark.
	"fragments.tmpl": `{{define "main.components"}}
	addGreeting, // greeting-main.components
{{end}}
{{define "server.backing.imports"}}
	"{{.Module}}/internal/greeting" // greeting-server.backing.imports
{{end}}
{{define "server.backing.fields"}}
	Greeting *greeting.Greeter // greeting-server.backing.fields
{{end}}
{{define "readme.endpoints"}}
| ` + "`GET /greeting`" + ` | greeting-readme.endpoints |
{{end}}
{{define "readme.running"}}
- **Greeting:** greeting-readme.running
{{end}}
{{define "readme.backing"}}

- **Greetings** at ` + "`{{.Env \"GREETING\"}}`" + `: greeting-readme.backing
{{end}}
{{define "makefile.targets"}}
.PHONY: greet
greet: ## greeting-makefile.targets
	curl -fsS localhost:{{.Default "PORT"}}/greeting
{{end}}
{{define "smoke.ready"}}
/greeting
{{end}}
{{define "smoke.checks"}}

get /greeting # greeting-smoke.checks
echo "smoke: ok /greeting"
{{end}}
{{define "dockerfile.runtime"}}
LABEL greeting="greeting-dockerfile.runtime"
{{end}}
{{define "compose.app"}}
    labels: ["greeting-compose.app"]
{{end}}
{{define "compose.depends_on"}}
      greeter: # greeting-compose.depends_on
        condition: service_started
{{end}}
{{define "compose.services"}}

  greeter: # greeting-compose.services
    image: busybox
{{end}}
{{define "compose.secrets"}}
  GREETER_TOKEN: # greeting-compose.secrets
    environment: GREETER_TOKEN
{{end}}
{{define "compose.secrets.example"}}
#   GREETER_TOKEN=greeting-compose.secrets.example
{{end}}
{{define "compose.volumes"}}
  greeter: # greeting-compose.volumes
{{end}}
{{define "ci.services"}}
      greeter: # greeting-ci.services
        image: busybox
{{end}}
{{define "ci.env"}}
      GREETER: greeting-ci.env
{{end}}
`,
}

// withGreeting is today's templates with the greeting component beside the
// others, and a module set for it in modules.json, as `make modules` would
// pin it: nothing of the base is touched.
func withGreeting(t *testing.T, sums []string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, text := range greeting {
		fsys["components/greeting/"+p] = &fstest.MapFile{Data: []byte(text)}
	}
	var sets render.ModuleSets
	if err := json.Unmarshal(fsys["modules.json"].Data, &sets); err != nil {
		t.Fatal(err)
	}
	base := sets.Sets[slices.IndexFunc(sets.Sets, func(s render.ModuleSet) bool { return len(s.Components) == 0 })]
	set := render.ModuleSet{
		Components: []string{"greeting"},
		Require:    append(slices.Clone(base.Require), render.Require{Path: greetlib, Version: greetlibVersion}),
		Sum:        append(slices.Clone(base.Sum), sums...),
	}
	sets.Sets = append(sets.Sets, set)
	data, err := json.Marshal(sets)
	if err != nil {
		t.Fatal(err)
	}
	fsys["modules.json"] = &fstest.MapFile{Data: data}
	return fsys
}

var greetingAnswers = render.Answers{
	Name:       "greeter",
	Module:     "example.com/greeter",
	Components: []string{"ci", "compose", "docker", "greeting", "k8s", "procfile", "systemd"},
}

// TestAComponentAddsToEveryExtensionPoint: a component from outside the
// tree reaches every extension point that service.json declares, and each
// fragment lands in the rendered service.
func TestAComponentAddsToEveryExtensionPoint(t *testing.T) {
	fsys := withGreeting(t, nil)
	var declared struct {
		ExtensionPoints map[string]string `json:"extensionPoints"`
	}
	if err := json.Unmarshal(fsys["service.json"].Data, &declared); err != nil {
		t.Fatal(err)
	}
	c, err := render.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	files, err := c.RenderSources(greetingAnswers)
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, f := range files {
		all.Write(f.Data)
	}
	for point := range declared.ExtensionPoints {
		mark := "greeting-" + point
		if point == "smoke.ready" {
			mark = "ready=/greeting"
		}
		if !strings.Contains(greeting["fragments.tmpl"], `{{define "`+point+`"}}`) {
			t.Errorf("the greeting component has no fragment for %s: give it one, so that this test covers the point", point)
		} else if !bytes.Contains(all.Bytes(), []byte(mark)) {
			t.Errorf("the fragment for %s is in no rendered file", point)
		}
	}
}

// TestAComponentNeedsNoChangeToTheBase adds a throwaway component — files,
// a variable, a Go module it requires and a fragment for every extension
// point — to today's templates, then builds, tests and starts the service,
// and asks it for the component's route.
func TestAComponentNeedsNoChangeToTheBase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a service")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	proxy, sums := publishGreetlib(t)
	c, err := render.Load(withGreeting(t, sums))
	if err != nil {
		t.Fatal(err)
	}
	files, err := c.Render(greetingAnswers)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
	realProxy, _ := exec.Command(gobin, "env", "GOPROXY").Output()
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+","+strings.TrimSpace(string(realProxy)),
		"GONOSUMDB="+greetlib, "GOFLAGS=-mod=readonly", "GOWORK=off")
	for _, args := range [][]string{{"build", "-o", "bin/greeter", "./cmd/greeter"}, {"vet", "./..."}} {
		cmd := exec.Command(gobin, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	out, err := exec.Command(filepath.Join(dir, "bin/greeter"), "env").Output()
	if err != nil || !regexp.MustCompile(`(?m)^GREETING\s+hello\s+how GET /greeting greets$`).Match(out) {
		t.Errorf("greeter env: %v\n%s\nwant the GREETING variable listed", err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	svc := exec.CommandContext(ctx, filepath.Join(dir, "bin/greeter"))
	svc.Env = append(os.Environ(), "PORT=0", "GREETING=howdy", "GREETER_TOKEN=t0ken", "SHUTDOWN_DELAY=0s")
	stdout, err := svc.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = svc.Process.Kill(); _ = svc.Wait() }()
	addr := servingAddress(t, stdout)
	resp, err := http.Get("http://" + addr + "/greeting?who=Ada")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "howdy, Ada (greetlib)\n" {
		t.Errorf("GET /greeting?who=Ada: %s %q, want 200 %q", resp.Status, body, "howdy, Ada (greetlib)\n")
	}
}

// servingAddress reads the service's log up to its "serving" line and
// returns the address it names.
func servingAddress(t *testing.T, log io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(log)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		var line struct{ Msg, Address string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			go func() { _, _ = io.Copy(io.Discard, log) }()
			return line.Address
		}
	}
	t.Fatalf("the service stopped before it served:\n%s", strings.Join(lines, "\n"))
	return ""
}

// publishGreetlib lays out a GOPROXY directory holding greetlib, and
// returns it with the go.sum lines of the module.
func publishGreetlib(t *testing.T) (dir string, sums []string) {
	t.Helper()
	dir = t.TempDir()
	src := t.TempDir()
	gomod := "module " + greetlib + "\n\ngo 1.21\n"
	for name, text := range map[string]string{"go.mod": gomod, "greetlib.go": greetlibGo} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v := filepath.Join(dir, filepath.FromSlash(greetlib), "@v")
	if err := os.MkdirAll(v, 0o755); err != nil {
		t.Fatal(err)
	}
	mv := module.Version{Path: greetlib, Version: greetlibVersion}
	zipPath := filepath.Join(v, greetlibVersion+".zip")
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.CreateFromDir(zf, mv, src); err != nil {
		t.Fatal(err)
	}
	if err := zf.Close(); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"list":                    greetlibVersion + "\n",
		greetlibVersion + ".mod":  gomod,
		greetlibVersion + ".info": `{"Version":"` + greetlibVersion + `","Time":"2026-01-01T00:00:00Z"}`,
	} {
		if err := os.WriteFile(filepath.Join(v, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zipHash, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(gomod)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, []string{
		greetlib + " " + greetlibVersion + " " + zipHash,
		greetlib + " " + greetlibVersion + "/go.mod " + modHash,
	}
}

// TestBaseNamesNoComponent: the base service's templates know no component
// (each adds to them through extension points), and no template asks
// which components a service has: .Has is there only for archived trees.
func TestBaseNamesNoComponent(t *testing.T) {
	c, err := render.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	action := regexp.MustCompile(`{{.*?}}`)
	err = fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, a := range action.FindAllString(line, -1) {
				if strings.Contains(a, ".Has") {
					t.Errorf("%s:%d: %s: add to an extension point instead of asking for a component", p, i+1, a)
				}
				for _, name := range c.Names() {
					if strings.HasPrefix(p, "service/") && strings.Contains(a, `"`+name+`"`) {
						t.Errorf("%s:%d: %s names the component %s", p, i+1, a, name)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
