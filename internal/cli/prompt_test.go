package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/templates"
)

// fakePrompter answers questions from a script. Each Input question takes
// its answers in turn: an answer that validate rejects is recorded and the
// next one is given, as a person asked again would. "" takes the default.
type fakePrompter struct {
	inputs     map[string][]string // by the start of the question
	components []string            // nil: accept the defaults
	confirm    bool
	cancelAt   string // the start of a question answered with Ctrl-C

	asked    []string // every question, in order
	rejected []string // the reasons given for rejected answers
	defaults map[string]string
	offered  []Choice
	checked  []string
}

func (p *fakePrompter) cancelled(message string) bool {
	p.asked = append(p.asked, message)
	return p.cancelAt != "" && strings.HasPrefix(message, p.cancelAt)
}

func (p *fakePrompter) Input(message, help, def string, validate func(string) error) (string, error) {
	if p.cancelled(message) {
		return "", errPromptCancelled
	}
	if p.defaults == nil {
		p.defaults = map[string]string{}
	}
	p.defaults[message] = def
	for key, answers := range p.inputs {
		if !strings.HasPrefix(message, key) {
			continue
		}
		for _, a := range answers {
			if a == "" {
				a = def
			}
			if err := validate(a); err != nil {
				p.rejected = append(p.rejected, err.Error())
				continue
			}
			return a, nil
		}
		panic("no valid answer scripted for " + message)
	}
	if err := validate(def); err != nil {
		panic("the default of " + message + " is invalid: " + err.Error())
	}
	return def, nil
}

func (p *fakePrompter) SelectComponents(message string, options []Choice, defaults []string) ([]string, error) {
	if p.cancelled(message) {
		return nil, errPromptCancelled
	}
	p.offered, p.checked = options, defaults
	if p.components == nil {
		return defaults, nil
	}
	return p.components, nil
}

func (p *fakePrompter) Confirm(message string, def bool) (bool, error) {
	if p.cancelled(message) {
		return false, errPromptCancelled
	}
	return p.confirm, nil
}

// runAtTerminal runs twelve as if at a terminal, with p answering.
func runAtTerminal(t *testing.T, p *fakePrompter, args ...string) (code int, stderr string) {
	t.Helper()
	f := terminalFactory(t, p)
	t.Chdir(t.TempDir())
	return execute(context.Background(), f, args), f.io.ErrOut.(*bytes.Buffer).String()
}

// terminalFactory is twelve's factory as at a terminal, with p answering.
func terminalFactory(t *testing.T, p *fakePrompter) *factory {
	t.Helper()
	f := testFactory(t, &IOStreams{In: strings.NewReader(""), Out: new(bytes.Buffer), ErrOut: new(bytes.Buffer), InTTY: true, OutTTY: true})
	f.prompter = p
	return f
}

// testFactory is twelve's factory with today's templates, writing to s.
func testFactory(t *testing.T, s *IOStreams) *factory {
	t.Helper()
	f, err := newFactory(s, "v0.0.0-test", []fs.FS{templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readManifest(t *testing.T, dir string) project.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, project.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m project.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPromptsAskWhatFlagsDidNotGive(t *testing.T) {
	p := &fakePrompter{
		inputs: map[string][]string{
			"Service name":       {"billing"},
			"Environment prefix": {"BILLING"},
			"Default port":       {"9090"},
		},
		components: []string{"metrics"},
		confirm:    true,
	}
	code, stderr := runAtTerminal(t, p, "new")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []string{"Service name:", "Go module path:", "Components:", "Environment prefix (empty for none):", "Default port:", "Create it?"}
	if !slices.Equal(p.asked, want) {
		t.Errorf("asked %q, want %q", p.asked, want)
	}
	if got := p.defaults["Go module path:"]; got != "billing" {
		t.Errorf("module path default %q, want the name", got)
	}
	if got := p.defaults["Default port:"]; got != "8000" {
		t.Errorf("port default %q, want service.json's 8000", got)
	}
	catalog := testFactory(t, nil).catalog
	if !slices.Equal(p.checked, catalog.Defaults()) || len(p.offered) != len(catalog.Components()) {
		t.Errorf("offered %v with %v checked, want every component with the defaults checked", p.offered, p.checked)
	}
	for _, o := range p.offered {
		if o.Summary != catalog.Component(o.Name).Summary {
			t.Errorf("component %s offered with summary %q", o.Name, o.Summary)
		}
	}
	m := readManifest(t, "billing")
	if m.Name != "billing" || m.Module != "billing" || m.Prefix != "BILLING_" || m.Port != 9090 || !slices.Equal(m.Components, []string{"metrics"}) {
		t.Errorf("manifest %+v does not hold the answers", m)
	}
	for _, w := range []string{"twelve will create billing", "env prefix  BILLING_", "port        9090", "components  metrics", "created billing"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}

func TestPromptsNotAskedForFlagsGiven(t *testing.T) {
	p := &fakePrompter{confirm: true}
	code, stderr := runAtTerminal(t, p, "new", "svc", "--module", "example.com/svc", "--with", "docker", "--prefix", "", "--port", "8080")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(p.asked) != 0 {
		t.Errorf("asked %q although every answer was a flag", p.asked)
	}

	p = &fakePrompter{confirm: true}
	code, stderr = runAtTerminal(t, p, "new", "svc", "--without", "systemd")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []string{"Go module path:", "Environment prefix (empty for none):", "Default port:", "Create it?"}
	if !slices.Equal(p.asked, want) {
		t.Errorf("asked %q, want %q", p.asked, want)
	}
}

func TestPromptsRejectInvalidAnswers(t *testing.T) {
	p := &fakePrompter{
		inputs: map[string][]string{
			"Service name":       {"My Service", "svc-", "svc"},
			"Go module path":     {"bad path", "example.com/svc"},
			"Environment prefix": {"svc", "1SVC", "SVC_"},
			"Default port":       {"http", "70000", "0", "8080"},
		},
		confirm: true,
	}
	code, stderr := runAtTerminal(t, p, "new")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []string{
		`invalid service name "My Service": use lowercase letters`,
		`invalid service name "svc-"`,
		`invalid module path "bad path": `,
		`invalid environment prefix "svc": use uppercase letters, digits and '_'`,
		`invalid environment prefix "1SVC"`,
		`invalid port "http": use a number from 1 to 65535`,
		`invalid port "70000"`,
		`invalid port "0"`,
	}
	if len(p.rejected) != len(want) {
		t.Fatalf("rejected %q, want %d rejections", p.rejected, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(p.rejected[i], w) {
			t.Errorf("rejection %d: %q, want it to start with %q", i, p.rejected[i], w)
		}
	}
	if m := readManifest(t, "svc"); m.Module != "example.com/svc" || m.Prefix != "SVC_" || m.Port != 8080 {
		t.Errorf("manifest %+v", m)
	}
}

func TestPromptRejectsATakenName(t *testing.T) {
	p := &fakePrompter{inputs: map[string][]string{"Service name": {"taken", "free"}}, confirm: true}
	f := testFactory(t, &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}, InTTY: true, OutTTY: true})
	f.prompter = p
	t.Chdir(t.TempDir())
	os.MkdirAll("taken", 0o755)
	os.WriteFile("taken/keep", nil, 0o644)
	if code := execute(context.Background(), f, []string{"new"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if len(p.rejected) != 1 || !strings.Contains(p.rejected[0], "taken exists and is not empty") {
		t.Errorf("rejected %q, want the taken directory refused", p.rejected)
	}
}

// Ctrl-C or Esc at any question exits 130 and writes nothing.
func TestPromptCancelledWritesNothing(t *testing.T) {
	for _, at := range []string{"Service name", "Go module path", "Components", "Environment prefix", "Default port", "Create it?"} {
		t.Run(at, func(t *testing.T) {
			p := &fakePrompter{inputs: map[string][]string{"Service name": {"svc"}}, cancelAt: at, confirm: true}
			code, stderr := runAtTerminal(t, p, "new")
			if code != 130 {
				t.Errorf("exit %d, want 130; stderr %q", code, stderr)
			}
			if !strings.HasSuffix(stderr, "\ntwelve: cancelled at a prompt: nothing was written\n") && stderr != "twelve: cancelled at a prompt: nothing was written\n" {
				t.Errorf("stderr %q", stderr)
			}
			if entries, _ := os.ReadDir("."); len(entries) != 0 {
				t.Errorf("a cancelled new left %v", entries)
			}
		})
	}
}

func TestPromptDeclinedWritesNothing(t *testing.T) {
	p := &fakePrompter{inputs: map[string][]string{"Service name": {"svc"}}, confirm: false}
	code, stderr := runAtTerminal(t, p, "new")
	if code != 1 || !strings.HasSuffix(stderr, "twelve: not created: nothing was written\n") {
		t.Errorf("exit %d, stderr %q; want 1 and a word that nothing was written", code, stderr)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("a declined new left %v", entries)
	}
}

// No prompt with --no-input or CI, even at a terminal.
func TestNoPromptWithNoInputOrCI(t *testing.T) {
	p := &fakePrompter{}
	code, stderr := runAtTerminal(t, p, "new", "--no-input")
	if code != 2 || !strings.Contains(stderr, "needs the service's name") || !strings.Contains(stderr, "--no-input") {
		t.Errorf("--no-input: exit %d, %q", code, stderr)
	}
	if len(p.asked) != 0 {
		t.Errorf("--no-input asked %q", p.asked)
	}

	var errOut bytes.Buffer
	f := testFactory(t, &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut, InTTY: true, OutTTY: true, CI: true})
	f.prompter = p
	t.Chdir(t.TempDir())
	if code := execute(context.Background(), f, []string{"new", "svc"}); code != 0 {
		t.Fatalf("CI: exit %d: %s", code, errOut.String())
	}
	if len(p.asked) != 0 {
		t.Errorf("CI asked %q", p.asked)
	}
}

func TestIsCI(t *testing.T) {
	for v, want := range map[string]bool{"": false, "false": false, "0": false, "true": true, "1": true, "yes": true} {
		if got := isCI(v); got != want {
			t.Errorf("isCI(%q) = %v, want %v", v, got, want)
		}
	}
}
