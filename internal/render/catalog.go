// Package render turns twelve's template tree and a set of answers into an
// in-memory set of files. It is pure: it reads only the template file system it
// is given and writes nothing.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
)

// Var is one environment variable that the generated service reads. The one
// list of them feeds every place a variable must appear: the config struct,
// .env.example, the README's table, the service's env subcommand, the
// Dockerfile and the systemd unit.
type Var struct {
	Name        string `json:"name"`        // e.g. PORT
	Group       string `json:"group"`       // config group, e.g. HTTP in cfg.HTTP.Port
	Field       string `json:"field"`       // Go field name in the group, e.g. Port
	Type        string `json:"type"`        // Go type, e.g. int, time.Duration, slog.Level
	Default     string `json:"default"`     // default value as written in the environment
	Description string `json:"description"` // one line, for people
	Secret      bool   `json:"secret"`      // read from NAME or NAME_FILE, never logged
	// Unprefixed variables keep their name under an environment prefix,
	// because platforms set them by that name: PORT, DATABASE_URL.
	Unprefixed bool `json:"unprefixed"`
	// Example is a value to try the service with, for a variable that has
	// no default, such as the URL of a local database: the README's
	// quick start and twelve add's next step set it.
	Example string `json:"example"`

	base string // Name before the prefix, set in Data
}

// Component is an optional part of the generated service, with its files under
// templates/components/NAME/ and its metadata in component.json there.
type Component struct {
	Name     string            `json:"-"`
	Summary  string            `json:"summary"`
	Default  bool              `json:"default"`
	Requires []string          `json:"requires"`
	Modules  map[string]string `json:"modules"` // Go modules the component imports, pinned
	Vars     []Var             `json:"vars"`
	// UserData are patterns (path.Match, on output paths) of the
	// component's files that become the user's data once written, such as
	// migrations: update never changes them, remove never deletes them.
	UserData []string `json:"userData"`
	// Standalone, when set, lets the component be added to a Go module that
	// twelve did not make: its own files are written and these lines are
	// printed for the user to wire it in.
	Standalone *Standalone `json:"standalone"`

	// fragments is the component's fragments.tmpl, parsed when first
	// needed: what it adds to the extension points of shared files.
	fragments func() (*template.Template, error)
}

// Standalone is how a user wires a component into their own main.
type Standalone struct {
	Package string   `json:"package"` // the component's package, relative to the module
	Wiring  []string `json:"wiring"`  // Go lines for main, after the package's import
}

// base is the metadata of the service every component builds on.
type base struct {
	GoVersion string            `json:"go"`
	Vars      []Var             `json:"vars"`
	Modules   map[string]string `json:"modules"`
	// ExtensionPoints are the places in shared files, such as the README's
	// table of endpoints, where components add fragments: the name, and
	// what goes there. A template inserts them with {{.Fragments "NAME"}}.
	ExtensionPoints map[string]string `json:"extensionPoints"`
	// UserData are the base service's files that are the user's once
	// written, such as the user's own settings: see Component.UserData.
	UserData []string `json:"userData"`
}

// Catalog is the template tree: the base service and every component, with
// every template parsed once, when it is first rendered (every command
// loads the catalog, and most render few templates or none).
type Catalog struct {
	fsys       fs.FS
	base       base
	components map[string]*Component
	templates  []*tmpl // sorted by output path pattern
	modules    func() (ModuleSets, error)
	root       *template.Template // see parse
	version    int                // the renderer version, see LoadVersion
}

type tmpl struct {
	owner   string // "" for the base service, else the component's name
	literal string // the output path, when it has no action
	out     string // the output path as written, when it has
	src     string // path in the template tree, for error messages

	mu      sync.Mutex         // guards the fields below, set when first rendered
	path    *template.Template // out, parsed
	pathErr error              // from parsing out
	read    bool               // the text was read, and parsed if it has an action
	body    *template.Template // nil when the text has no action
	size    int                // the length of the text
	err     error              // from parsing the text
}

const (
	serviceDir    = "service"
	componentsDir = "components"
	// fragmentsFile is, in a component's folder, the file that holds what
	// the component adds to the extension points of shared files, one
	// {{define "POINT"}} each. It renders to no file of its own.
	fragmentsFile = "fragments.tmpl"
)

// Load parses the template tree rooted at fsys: service.json and service/ for
// the base, components/NAME/component.json and the files beside it for each
// component, and, when first needed, modules.json for the pinned dependency
// sets. It renders with the current semantics, Renderer; LoadVersion loads
// an archived tree with those it was made for.
func Load(fsys fs.FS) (*Catalog, error) { return load(fsys, Renderer) }

func load(fsys fs.FS, version int) (*Catalog, error) {
	c := &Catalog{fsys: fsys, version: version, components: map[string]*Component{}, root: template.New("").Funcs(funcs)}
	if err := readJSON(fsys, "service.json", &c.base); err != nil {
		return nil, err
	}
	// Read when a go.mod is rendered: every command loads the catalog, and
	// the file is 48 KB of fresh heap for those that do not.
	c.modules = sync.OnceValues(func() (ModuleSets, error) {
		var m ModuleSets
		raw, err := fs.ReadFile(fsys, "modules.json")
		if err != nil {
			return m, fmt.Errorf("reading templates: %w", err)
		}
		err = decodeJSON(raw, "modules.json", &m)
		return m, err
	})
	if err := c.addTree(fsys, serviceDir, ""); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, componentsDir)
	if err != nil {
		return nil, fmt.Errorf("reading templates: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		comp := &Component{Name: e.Name()}
		dir := path.Join(componentsDir, e.Name())
		if err := readJSON(fsys, path.Join(dir, "component.json"), comp); err != nil {
			return nil, err
		}
		c.components[comp.Name] = comp
		comp.fragments = sync.OnceValues(func() (*template.Template, error) {
			return c.parseFragments(path.Join(dir, fragmentsFile))
		})
		if err := c.addTree(fsys, dir, comp.Name); err != nil {
			return nil, err
		}
	}
	for _, comp := range c.components {
		for _, r := range comp.Requires {
			if c.components[r] == nil {
				return nil, fmt.Errorf("component %s requires unknown component %s", comp.Name, r)
			}
		}
	}
	sort.Slice(c.templates, func(i, j int) bool { return c.templates[i].src < c.templates[j].src })
	return c, nil
}

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("reading templates: %w", err)
	}
	return decodeJSON(data, name, v)
}

// decodeJSON decodes one of the template tree's JSON files in place, which a
// json.Decoder would first copy whole into a buffer of its own: on a fresh
// heap every byte of that is a page fault. The tree is embedded, so
// TestTemplateJSONHasNoUnknownKeys checks once that no key is misspelt,
// rather than every command at run time.
func decodeJSON(data []byte, name string, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("reading templates: %s: %w", name, err)
	}
	return nil
}

// addTree parses every file below dir as a template whose output path is its
// path below dir without the .tmpl suffix.
func (c *Catalog) addTree(fsys fs.FS, dir, owner string) error {
	meta, frags, prefix := path.Join(dir, "component.json"), path.Join(dir, fragmentsFile), dir+"/"
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (owner != "" && (p == meta || p == frags)) {
			return nil
		}
		rel := strings.TrimPrefix(p, prefix)
		if !strings.HasSuffix(rel, ".tmpl") {
			return fmt.Errorf("template %s: every template file must end in .tmpl", p)
		}
		t := &tmpl{owner: owner, src: p}
		out := strings.TrimSuffix(rel, ".tmpl")
		if !strings.Contains(out, "{{") {
			t.literal = out // most paths: nothing to parse or execute
		} else {
			t.out = out
		}
		// The path is parsed and the text read when first rendered (see
		// pathOf and text): most commands render a few components'
		// templates, or none.
		c.templates = append(c.templates, t)
		return nil
	})
}

// pathOf returns the template's output path for d, its path template parsed
// when first rendered.
func (c *Catalog) pathOf(t *tmpl, d Data) (string, error) {
	if t.out == "" {
		return t.literal, nil
	}
	t.mu.Lock()
	if t.path == nil && t.pathErr == nil {
		t.path, t.pathErr = c.parse(t.src+" (path)", t.out)
	}
	pt, err := t.path, t.pathErr
	t.mu.Unlock()
	if err != nil {
		return "", err
	}
	return execute(pt, d)
}

// text returns the template's body, parsed when it is first rendered, or, when
// the text has no action, the text itself, which is the file as it renders.
// Each call that returns text returns a copy of its own: the first returns the
// copy that it read, and later ones read the file again, since a text that is
// rendered as it is would be kept only to be copied.
func (c *Catalog) text(t *tmpl) (body *template.Template, text []byte, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.read {
		data, err := fs.ReadFile(c.fsys, t.src)
		if err != nil {
			return nil, nil, err
		}
		t.read, t.size = true, len(data)
		if !bytes.Contains(data, []byte("{{")) {
			return nil, data, nil // no action: a fifth of the templates render as they are
		}
		t.body, t.err = c.parse(t.src, string(data))
	}
	if t.err != nil || t.body != nil {
		return t.body, nil, t.err
	}
	text, err = fs.ReadFile(c.fsys, t.src)
	return nil, text, err
}

// parse parses a template of the catalog. Every template is made by c.root,
// so all share one set of functions: a template made by template.New has
// maps of its own, which are most of what a small template allocates. The
// names of the templates (their paths) are distinct, and no template defines
// or calls another.
func (c *Catalog) parse(name, text string) (*template.Template, error) {
	t := c.root.New(name).Option("missingkey=error")
	if _, err := t.Parse(text); err != nil {
		return nil, fmt.Errorf("parsing template: %w", err)
	}
	return t, nil
}

// Components returns every component, sorted by name.
func (c *Catalog) Components() []*Component {
	var out []*Component
	for _, comp := range c.components {
		out = append(out, comp)
	}
	slices.SortFunc(out, func(a, b *Component) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Component returns the named component, or nil.
func (c *Catalog) Component(name string) *Component { return c.components[name] }

// Defaults returns the names of the components that a new service gets
// unless told otherwise, sorted.
func (c *Catalog) Defaults() []string {
	var names []string
	for _, comp := range c.Components() {
		if comp.Default {
			names = append(names, comp.Name)
		}
	}
	return names
}

// Resolve returns the sorted set of the named components and every component
// they need, or an error naming an unknown component.
func (c *Catalog) Resolve(names []string) ([]string, error) {
	set := map[string]bool{}
	var add func(name, by string) error
	add = func(name, by string) error {
		comp := c.components[name]
		if comp == nil {
			if by != "" {
				return fmt.Errorf("component %s requires unknown component %s", by, name)
			}
			return fmt.Errorf("unknown component %q (known: %s)", name, strings.Join(c.Names(), ", "))
		}
		if set[name] {
			return nil
		}
		set[name] = true
		for _, r := range comp.Requires {
			if err := add(r, name); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range names {
		if err := add(n, ""); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// UserData reports whether an output path is user data, of the base
// service or of a component, which twelve writes once and never changes
// or deletes.
func (c *Catalog) UserData(p string) bool {
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(pattern string) bool {
			ok, _ := path.Match(pattern, p)
			return ok
		})
	}
	if match(c.base.UserData) {
		return true
	}
	for _, comp := range c.components {
		if match(comp.UserData) {
			return true
		}
	}
	return false
}

// Default returns the default value of the base service's variable named
// name, or "" when there is none.
func (c *Catalog) Default(name string) string {
	for _, v := range c.base.Vars {
		if v.Name == name {
			return v.Default
		}
	}
	return ""
}

// Names returns the names of every component, sorted.
func (c *Catalog) Names() []string {
	var names []string
	for _, comp := range c.Components() {
		names = append(names, comp.Name)
	}
	return names
}
