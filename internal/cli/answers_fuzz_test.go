package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/render"
)

// entry is one way of giving answers: what it made of them, or its error.
type entry struct {
	name string
	a    render.Answers
	err  error
}

// FuzzAnswersAgree: the same answers given as twelve new's flags, at its
// prompts, in an answers file, in a manifest (as add, update and remove
// read it) and by update --set are refused by every one or accepted by
// every one, and then give the same answers, which render.
//
// Each entry is given the answers as a user would give them there: an
// empty answer is left out of a file and takes the default at a prompt;
// a manifest holds what twelve writes (the module filled in, the prefix
// ending in '_', the port a JSON number when it is one). The components
// are added to the defaults (--with); update --set has no components and
// joins in when none are added.
func FuzzAnswersAgree(f *testing.F) {
	c := fuzzCatalog(f)
	for _, s := range [][5]string{
		{"svc", "github.com/acme/svc", "SVC", "9090", ""},
		{"svc", "", "", "", "postgres,redis"},
		{"svc", "example.com/svc", "SVC_", "8000", "k8s"},
		{"", "", "", "", ""},
		{"go", "", "", "", ""},
		{"svc", "fmt", "", "", ""},
		{"svc", "", "svc", "", ""},
		{"svc", "", strings.Repeat("A", 32), "", ""},
		{"svc", "", strings.Repeat("A", 31), "", ""},
		{"svc", "", "", "0", ""},
		{"svc", "", "", "080", ""},
		{"svc", "", "", "0x50", ""},
		{"svc", "", "", "+80", ""},
		{"svc", "", "", " 80", ""},
		{"svc", "", "", "65536", ""},
		{"svc", "", "", "99999999999999999999", ""},
		{"svc-", "", "", "", ""},
		{"svc", "", "", "", "nosuch"},
		{"-rf", "-rf", "-RF", "-1", ","},
		{"svc", "a\x1b[2J", "\x00", "\n80", ""},
		{"a", "", "A00000000000000000000", "", " "},
		{"svc", "", "", "", " postgres , redis"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name, mod, prefix, port, comps string) {
		var with []string
		// comps is a list as typed after --with: names between commas,
		// spaces around them not part of a name.
		for _, n := range strings.Split(comps, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(with, n) {
				with = append(with, n)
			}
		}
		components := append(c.Defaults(), with...)
		entries := []entry{
			byFlags(t, c, name, mod, prefix, port, with),
			byPrompts(t, c, name, mod, prefix, port, components),
			byFile(t, c, dir, name, mod, prefix, port, components),
			byManifest(c, name, mod, prefix, port, components),
		}
		if len(with) == 0 {
			entries = append(entries, bySet(c, name, mod, prefix, port))
		}
		first := entries[0]
		for _, e := range entries {
			if e.err != nil {
				shortError(t, e.err)
			}
			if (e.err == nil) != (first.err == nil) {
				t.Fatalf("answers %q, %q, %q, %q, %q:\n%s: %v\n%s: %v", name, mod, prefix, port, comps, first.name, verdict(first), e.name, verdict(e))
			}
			if e.err == nil && !sameAnswers(c, e.a, first.a) {
				t.Fatalf("answers %q, %q, %q, %q, %q:\n%s: %+v\n%s: %+v", name, mod, prefix, port, comps, first.name, first.a, e.name, e.a)
			}
		}
		if first.err == nil {
			renders(t, c, first.a)
		}
	})
}

func verdict(e entry) string {
	if e.err != nil {
		return "refused: " + e.err.Error()
	}
	return "accepted"
}

// sameAnswers compares answers, a port of 0 being the templates' default.
func sameAnswers(c *render.Catalog, a, b render.Answers) bool {
	port := func(a render.Answers) string {
		if a.Port == 0 {
			return c.Default("PORT")
		}
		return strconv.Itoa(a.Port)
	}
	return a.Name == b.Name && a.Module == b.Module && a.Prefix == b.Prefix && port(a) == port(b) && slices.Equal(a.Components, b.Components)
}

// newOptionsOf parses twelve new's command line as twelve does.
func newOptionsOf(t *testing.T, f *factory, args []string) (*newOptions, error) {
	t.Helper()
	var opts *newOptions
	cmd := newNewCmd(f, func(o *newOptions) error { opts = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(new(bytes.Buffer))
	cmd.SetErr(new(bytes.Buffer))
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return opts, err
}

func byFlags(t *testing.T, c *render.Catalog, name, mod, prefix, port string, with []string) entry {
	e := entry{name: "flags"}
	f := &factory{io: &IOStreams{}, catalog: c}
	args := []string{"--no-input", "--module=" + mod, "--prefix=" + prefix}
	if port != "" {
		args = append(args, "--port="+port)
	}
	if len(with) > 0 {
		args = append(args, "--with="+strings.Join(with, ","))
	}
	if name != "" {
		args = append(args, "--", name)
	}
	opts, err := newOptionsOf(t, f, args)
	if err != nil {
		e.err = err
		return e
	}
	g, err := givenAnswers(&IOStreams{}, opts)
	if err != nil {
		e.err = err
		return e
	}
	if !g.has("name") {
		e.err = usagef("twelve new needs the service's name")
		return e
	}
	e.a, e.err = newAnswers(c, g, opts)
	return e
}

// answering is a prompter that gives one answer to each question, "" for
// the default, and returns the reason an answer is refused: a person
// would be asked again.
type answering struct {
	inputs     map[string]string // by question
	components []string
}

func (p *answering) Input(message, help, def string, validate func(string) error) (string, error) {
	a := p.inputs[message]
	if a == "" {
		a = def
	}
	return a, validate(a)
}

func (p *answering) SelectComponents(string, []Choice, []string) ([]string, error) {
	return p.components, nil
}

func (p *answering) Confirm(string, bool) (bool, error) { return true, nil }

func byPrompts(t *testing.T, c *render.Catalog, name, mod, prefix, port string, components []string) entry {
	e := entry{name: "prompts"}
	p := &answering{
		inputs:     map[string]string{"Service name:": name, "Go module path:": mod, "Environment prefix (empty for none):": prefix, "Default port:": port},
		components: components,
	}
	f := &factory{io: &IOStreams{InTTY: true, OutTTY: true}, catalog: c, prompter: p}
	opts, err := newOptionsOf(t, f, []string{"--dir", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var g gathered
	if _, e.err = askNew(f, opts, &g); e.err == nil {
		e.a, e.err = newAnswers(c, g, opts)
	}
	return e
}

func byFile(t *testing.T, c *render.Catalog, dir, name, mod, prefix, port string, components []string) entry {
	e := entry{name: "answers file"}
	doc := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, value *yaml.Node) {
		doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, value)
	}
	text := func(s string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
	}
	if name != "" {
		add("name", text(name))
	}
	add("module", text(mod))
	add("prefix", text(prefix))
	if port != "" {
		add("port", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: port})
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, n := range components {
		list.Content = append(list.Content, text(n))
	}
	add("components", list)
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Skipf("yaml cannot write these answers: %v", err)
	}
	file := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opts, err := newOptionsOf(t, &factory{io: &IOStreams{}, catalog: c}, []string{"--no-input", "--answers", file})
	if err != nil {
		t.Fatal(err)
	}
	g, err := givenAnswers(&IOStreams{}, opts)
	if err != nil {
		e.err = err
		return e
	}
	if !g.has("name") {
		e.err = usagef("twelve new needs the service's name")
		return e
	}
	e.a, e.err = newAnswers(c, g, opts)
	return e
}

// jsonPort is how a port is written in a manifest: a JSON number when it
// is written as one, else the text, which is no number.
var jsonPort = regexp.MustCompile(`^[1-9][0-9]*$`)

func byManifest(c *render.Catalog, name, mod, prefix, port string, components []string) entry {
	e := entry{name: "manifest"}
	if mod == "" {
		mod = name
	}
	if prefix != "" && !strings.HasSuffix(prefix, "_") {
		prefix += "_"
	}
	m := map[string]any{"twelve": "v1", "name": name, "module": mod, "components": components, "prefix": prefix, "files": map[string]string{}}
	switch {
	case port == "":
	case jsonPort.MatchString(port):
		m["port"] = json.RawMessage(port)
	default:
		m["port"] = port
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	parsed, err := project.ParseManifest(project.ManifestFile, data)
	if err != nil {
		e.err = err
		return e
	}
	e.a, e.err = manifestAnswers(c, parsed)
	return e
}

func bySet(c *render.Catalog, name, mod, prefix, port string) entry {
	e := entry{name: "update --set"}
	base := render.Answers{Name: "base", Module: "example.com/base", Components: c.Defaults()}
	base.Components, _ = c.Resolve(base.Components)
	e.a, e.err = setAnswers(c, base, []string{"name=" + name, "module=" + mod, "prefix=" + prefix, "port=" + port})
	return e
}
