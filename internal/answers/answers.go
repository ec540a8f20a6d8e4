// Package answers holds what a user decides about a service: the one
// Answers type, the table of its fields from which twelve's flags, prompts,
// answers files and help are made, and the one Validate that every way of
// giving answers goes through.
package answers

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
)

// Answers are what a user decides about a service.
type Answers struct {
	Name       string   // the service's name: its directory, command and binary
	Module     string   // its Go module path
	Components []string // the components it has, resolved and sorted
	Prefix     string   // prepended to the names of prefixable variables, e.g. BILLING_
	Port       int      // PORT's default, 0 for the one in service.json
}

// Validate checks every answer, in the order of Fields, and returns an
// *Error for the first one that is wrong. known are the components that
// twelve has. Answers given as text are parsed first (Field.Parse); an
// empty module is the name's, and is filled in before Validate.
func (a Answers) Validate(known []string) error {
	for _, f := range Fields {
		if err := f.Check(a, known); err != nil {
			return err
		}
	}
	return nil
}

// Error is an answer that is wrong: which one, and one line saying what
// is wrong and what to do.
type Error struct {
	Key   string // the field: name, module, components, prefix or port
	Value string // the answer refused (for components, the one unknown name)
	Msg   string
	// Hint shows what a right answer looks like, for where one is typed
	// (a flag, a prompt, an answers file); "" when Msg says it already.
	Hint string
}

func (e *Error) Error() string { return e.Msg }

// Kind is what an answer is: what an answers file holds for it.
type Kind int

const (
	Text   Kind = iota // a string
	Number             // a number, given as decimal digits
	List               // a list of component names
)

// Field is one answer, and every place a user gives it.
type Field struct {
	Key string // the answers file's key and update --set's
	// Flag is the flag of twelve new that gives it; "" for the name (the
	// NAME argument) and the components (--with and --without).
	Flag     string
	Kind     Kind
	Settable bool // update --set can change it
	// Usage is the flag's help, Question the prompt and Help the prompt's
	// help. In them, {name} stands for the service's name, {PREFIX} for
	// a prefix made of it and {port} for the templates' default port: see
	// Expand.
	Usage, Question, Help string
	parse                 func(a *Answers, text string) error
	check                 func(a Answers, known []string) error
}

// Fields are the answers, in the order in which twelve new asks for them.
var Fields = []Field{
	{
		Key: "name", Kind: Text, Settable: true,
		Usage:    "the service's name: its directory, command and binary",
		Question: "Service name:",
		Help:     "a directory, a command and a binary: lowercase letters, digits, '-' and '_'",
		parse:    func(a *Answers, s string) error { a.Name = s; return nil },
		check:    func(a Answers, _ []string) error { return checkName(a.Name) },
	},
	{
		Key: "module", Flag: "module", Kind: Text, Settable: true,
		Usage:    "Go module path (default NAME)",
		Question: "Go module path:",
		Help:     "where the code lives, such as github.com/acme/{name}",
		parse:    func(a *Answers, s string) error { a.Module = s; return nil },
		check:    func(a Answers, _ []string) error { return checkModule(a.Module, a.Name) },
	},
	{
		Key: "components", Kind: List,
		Usage:    "the components to have ('twelve list' shows them)",
		Question: "Components:",
		Help:     "space toggles, arrows move, Enter accepts; components that others need are added anyway",
		check:    checkComponents,
	},
	{
		Key: "prefix", Flag: "prefix", Kind: Text, Settable: true,
		Usage:    "environment prefix of the service's variables, e.g. BILLING_ (default none)",
		Question: "Environment prefix (empty for none):",
		Help:     "prepended to the variables' names, e.g. {PREFIX}LOG_LEVEL; PORT keeps its name",
		parse:    parsePrefix,
		check:    func(a Answers, _ []string) error { return checkPrefix(a.Prefix) },
	},
	{
		Key: "port", Flag: "port", Kind: Number, Settable: true,
		Usage:    "the service's default PORT (default {port})",
		Question: "Default port:",
		Help:     "the port the service listens on when PORT is not set",
		parse:    parsePort,
		check:    func(a Answers, _ []string) error { return checkPort(a.Port) },
	},
}

// Lookup returns the field with key, or nil.
func Lookup(key string) *Field {
	i := slices.IndexFunc(Fields, func(f Field) bool { return f.Key == key })
	if i < 0 {
		return nil
	}
	return &Fields[i]
}

// Keys are the fields' keys, in order; only the settable ones with
// settable.
func Keys(settable bool) []string {
	var keys []string
	for _, f := range Fields {
		if f.Settable || !settable {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// Parse sets the field of a from text, as typed at a flag, a prompt or
// update --set, or read from an answers file. An empty text is the
// field's default: the name's module, no prefix, the templates' port.
// Only what text alone shows to be wrong is refused here (a port that is
// no number); the rest is Check's.
func (f Field) Parse(a *Answers, text string) error {
	if f.parse == nil {
		return fmt.Errorf("%s is not given as text", f.Key)
	}
	return f.parse(a, text)
}

// Check checks the field of a, as Validate does.
func (f Field) Check(a Answers, known []string) error {
	return f.check(a, known)
}

// Default is what a prompt offers for the field: the name for the module,
// the templates' port, and nothing for the rest.
func (f Field) Default(a Answers, port string) string {
	switch f.Key {
	case "module":
		return a.Name
	case "port":
		return port
	}
	return ""
}

// Expand fills the placeholders of a Usage, Question or Help.
func Expand(s string, a Answers, port string) string {
	prefix := strings.ToUpper(strings.NewReplacer("-", "_").Replace(a.Name)) + "_"
	return strings.NewReplacer("{name}", a.Name, "{PREFIX}", prefix, "{port}", port).Replace(s)
}

// WithDefaults fills in the module, which is the name's unless given.
func (a Answers) WithDefaults() Answers {
	if a.Module == "" {
		a.Module = a.Name
	}
	return a
}

// nameRE is what a service name may be: it names a directory, a command, a
// binary, a container image and a systemd unit, so it stays plain.
// Its length, at most 63, is checked apart: a counted repetition compiles
// to that many copies, slowly, at the start of every command.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

func checkName(name string) error {
	if len(name) > 63 || !nameRE.MatchString(name) || strings.HasSuffix(name, "-") || strings.HasSuffix(name, "_") {
		return &Error{Key: "name", Value: name, Msg: fmt.Sprintf("invalid service name %s: use lowercase letters, digits, '-' and '_', starting with a letter and ending with a letter or digit, at most 63 characters", Show(name))}
	}
	if err := module.CheckImportPath(name); err != nil {
		return &Error{Key: "name", Value: name, Msg: fmt.Sprintf("invalid service name %s: %s: choose another name", Show(name), reason(err))}
	}
	if name == "testdata" {
		return &Error{Key: "name", Value: name, Msg: "invalid service name \"testdata\": go build, vet and test skip folders of that name, so cmd/testdata would never be built or tested: choose another name"}
	}
	return nil
}

// MaxModule bounds a module path: beyond, it is a mistake, and would make
// unwieldy code.
const MaxModule = 255

// ModuleProblem says what is wrong with a module path, if anything: one
// that x/mod refuses, that is too long, or that the go command would not
// build as a module's.
func ModuleProblem(path string) error {
	return checkModule(path, "")
}

func checkModule(path, name string) error {
	hint := "a module path looks like github.com/acme/" + name
	if name == "" {
		hint = ""
	}
	if len(path) > MaxModule {
		return &Error{Key: "module", Value: path, Hint: hint, Msg: fmt.Sprintf("invalid module path %s: longer than %d characters", Show(path), MaxModule)}
	}
	if err := module.CheckImportPath(path); err != nil {
		return &Error{Key: "module", Value: path, Hint: hint, Msg: fmt.Sprintf("invalid module path %s: %s", Show(path), Clip(reason(err)))}
	}
	if msg := reservedModule(path); msg != "" {
		return &Error{Key: "module", Value: path, Msg: msg}
	}
	return nil
}

func checkComponents(a Answers, known []string) error {
	for _, n := range a.Components {
		if !slices.Contains(known, n) {
			return &Error{Key: "components", Value: n, Msg: fmt.Sprintf("unknown component %s (known: %s)", Show(n), strings.Join(known, ", "))}
		}
	}
	return nil
}

// MaxPrefix bounds an environment prefix, its final '_' included.
const MaxPrefix = 32

// prefixRE is what an environment prefix may be, its final '_' included.
var prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*_$`)

func validPrefix(p string) bool {
	return p == "" || (len(p) <= MaxPrefix && prefixRE.MatchString(p))
}

// parsePrefix takes a prefix with or without its final '_'.
func parsePrefix(a *Answers, s string) error {
	p := s
	if p != "" && !strings.HasSuffix(p, "_") {
		p += "_"
	}
	if p != "" && !prefixRE.MatchString(p) {
		return &Error{Key: "prefix", Value: s, Msg: fmt.Sprintf("invalid environment prefix %s: use uppercase letters, digits and '_', starting with a letter, e.g. %s_", Show(s), Clip(strings.ToUpper(strings.Trim(nonWord.ReplaceAllString(s, "_"), "_"))))}
	}
	if len(p) > MaxPrefix {
		return &Error{Key: "prefix", Value: s, Msg: fmt.Sprintf("invalid environment prefix %s: longer than %d characters with its final '_': use a shorter one", Show(s), MaxPrefix)}
	}
	a.Prefix = p
	return nil
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func checkPrefix(p string) error {
	if !validPrefix(p) {
		return &Error{Key: "prefix", Value: p, Msg: fmt.Sprintf("invalid prefix %s: uppercase letters, digits and '_', starting with a letter and ending with '_', at most %d characters", Show(p), MaxPrefix)}
	}
	return nil
}

// portRE is a port as text: decimal digits, no sign, no leading zero, as
// YAML and JSON read a number too.
var portRE = regexp.MustCompile(`^[1-9][0-9]*$`)

func parsePort(a *Answers, s string) error {
	if s == "" {
		a.Port = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if !portRE.MatchString(s) || err != nil || n > 65535 {
		return &Error{Key: "port", Value: s, Msg: fmt.Sprintf("invalid port %s: use a number from 1 to 65535", Show(s))}
	}
	a.Port = n
	return nil
}

func checkPort(n int) error {
	if n < 0 || n > 65535 {
		return &Error{Key: "port", Value: strconv.Itoa(n), Msg: fmt.Sprintf("invalid port %d: a number from 1 to 65535", n)}
	}
	return nil
}

// Show quotes what a user typed for an error message: escaped, so that no
// control character reaches the terminal, and cut when it is long.
func Show(s string) string {
	if r := []rune(s); len(r) > 64 {
		return fmt.Sprintf("%q… (%d characters)", string(r[:48]), len(r))
	}
	return fmt.Sprintf("%q", s)
}

// Clip cuts a long text for an error message.
func Clip(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:48]) + "…"
	}
	return s
}

// reason is what x/mod says is wrong, without the path it repeats.
func reason(err error) string {
	var e *module.InvalidPathError
	if errors.As(err, &e) {
		return e.Err.Error()
	}
	return err.Error()
}
