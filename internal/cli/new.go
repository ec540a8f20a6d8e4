package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/module"

	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/quote"
	"github.com/twelvefactor/twelve/internal/render"
)

type newOptions struct {
	Name        string
	Module      string
	Dir         string
	With        *componentList
	Without     *componentList
	Prefix      string
	Port        int
	AnswersFile string
	NoInput     bool
	DryRun      bool
	Git         bool
	// changed reports whether a flag was given on the command line.
	changed func(flag string) bool
}

func newNewCmd(f *factory) *cobra.Command {
	opts := &newOptions{
		With:    &componentList{catalog: f.catalog},
		Without: &componentList{catalog: f.catalog},
	}
	cmd := &cobra.Command{
		Use:   "new [NAME]",
		Short: "Create a new service",
		Long: fmt.Sprintf(`Create a new twelve-factor web service in ./NAME (or --dir).

At a terminal, twelve asks for every answer that the flags did not give,
then shows what it will create and asks to go on. It never asks without a
terminal, with --no-input, or when CI is set: then NAME is needed and the
rest defaults. --answers FILE replays the answers of another service (its
.twelve.json) or an answers file (JSON or YAML: name, module, components,
prefix, port); flags win over the file.

The service gets the default components (%s) unless --with
and --without say otherwise; 'twelve list' shows them all. Nothing is written
unless the whole service could be: the target must be absent or empty, and the
tree appears there at once, complete.`, strings.Join(f.catalog.Defaults(), ", ")),
		Example: `  twelve new
  twelve new myservice
  twelve new billing --module github.com/acme/billing --dir services/billing --prefix BILLING_
  twelve new tiny --without metrics,systemd --dry-run
  twelve new --answers other/.twelve.json --dir again`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) <= 1 {
				return nil
			}
			return usagef("twelve new takes one NAME, got %d arguments: %s", len(args), strings.Join(args, " "))
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			opts.changed = cmd.Flags().Changed
			return runNew(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Module, "module", "", "Go module path (default NAME)")
	fl.StringVar(&opts.Dir, "dir", "", "directory to create (default ./NAME)")
	fl.Var(opts.With, "with", "add components to the defaults, comma-separated")
	fl.Var(opts.Without, "without", "leave out default components, comma-separated")
	fl.StringVar(&opts.Prefix, "prefix", "", "environment prefix of the service's variables, e.g. BILLING_ (default none)")
	fl.IntVar(&opts.Port, "port", 0, "the service's default PORT (default "+f.catalog.Default("PORT")+")")
	fl.StringVar(&opts.AnswersFile, "answers", "", "replay answers from a .twelve.json or a JSON or YAML answers file")
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt; use flags and defaults")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the files that would be written, write nothing")
	fl.BoolVar(&opts.Git, "git", true, "git init the service, unless it is inside a git work tree already (--git=false: never)")
	cmd.RegisterFlagCompletionFunc("with", opts.With.complete)
	cmd.RegisterFlagCompletionFunc("without", opts.Without.complete)
	cmd.RegisterFlagCompletionFunc("module", cobra.NoFileCompletions)
	cmd.RegisterFlagCompletionFunc("prefix", cobra.NoFileCompletions)
	cmd.RegisterFlagCompletionFunc("port", cobra.NoFileCompletions)
	cmd.MarkFlagFilename("answers", "json", "yaml", "yml")
	return cmd
}

func runNew(ctx context.Context, f *factory, opts *newOptions) error {
	given, err := givenAnswers(opts)
	if err != nil {
		return err
	}
	asked := false
	if f.io.CanPrompt() && !opts.NoInput && f.prompter != nil {
		if asked, err = askNew(f, opts, &given); err != nil {
			return err
		}
	} else if given.Name == nil {
		return usagef("twelve new needs the service's name: twelve new NAME, or name in --answers FILE (%s)", whyNoPrompt(f.io, opts))
	}
	answers, err := newAnswers(f.catalog, given, opts)
	if err != nil {
		return err
	}
	dir := opts.Dir
	if dir == "" {
		dir = answers.Name
	}
	dir = filepath.Clean(dir)
	if err := project.CheckTarget(dir); err != nil {
		return err
	}
	files, err := f.catalog.Render(answers)
	if err != nil {
		return err
	}
	files = append(files, project.NewManifest(f.version, f.revisions.current().digest, answers, files).File())
	slices.SortFunc(files, func(a, b render.File) int { return strings.Compare(a.Path, b.Path) })

	if asked && !opts.DryRun {
		printSummary(f.io.ErrOut, f.catalog, dir, answers, len(files))
		ok, err := f.prompter.Confirm("Create it?", true)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("not created: nothing was written")
		}
	}
	if opts.DryRun {
		for _, file := range files {
			fmt.Fprintln(f.io.Out, quote.Arg(filepath.Join(dir, filepath.FromSlash(file.Path))))
		}
		fmt.Fprintf(f.io.ErrOut, "would create %s (%d files); nothing written (--dry-run)\n", quote.Arg(dir), len(files))
		return nil
	}
	if err := project.WriteNew(ctx, dir, files); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "created %s (%d files) with %s\n", quote.Arg(dir), len(files), componentsPhrase(answers.Components))
	if opts.Git {
		msg, err := gitInit(ctx, dir)
		if err != nil {
			return err
		}
		if msg != "" {
			fmt.Fprintln(f.io.ErrOut, msg)
		}
	}
	fmt.Fprintf(f.io.ErrOut, "next: cd %s && make run\n", quote.Arg(dir))
	return nil
}

// gitInit makes dir a git repository, as cargo new does, so that the
// service is a codebase from its first minute (factor I), unless it is
// inside a work tree already: then it is part of that one. It returns what
// the user should know, "" when it did its job.
//
// git runs in dir (or its parent, to ask whether that is a work tree),
// with no GIT_* variable of twelve's environment: GIT_DIR, GIT_WORK_TREE
// and the like would make it write a repository somewhere else.
//
// A git init that fails (a full disk, a read-only file system) fails the
// command: the service stays, complete, since it was written whole before
// git ran, but whatever git left of .git is removed, so that a broken
// repository never passes for a good one.
func gitInit(ctx context.Context, dir string) (string, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return "git is not installed: run git init in " + quote.Arg(dir) + " to track the service", nil
	}
	// The service is in place, whole, before git runs: a Ctrl-C now comes
	// too late to undo it (as for any finished twelve, the signal is
	// caught and ignored), so git is not killed by it and the service gets
	// its repository. git init takes milliseconds; a git that hangs is
	// stopped after gitTimeout.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), gitTimeout)
	defer cancel()
	run := func(in string, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, git, args...)
		cmd.Dir = in
		cmd.Env = withoutGit(os.Environ())
		return cmd
	}
	if out, err := run(filepath.Dir(filepath.Clean(dir)), "rev-parse", "--is-inside-work-tree").Output(); err == nil && strings.TrimSpace(string(out)) == "true" {
		return "", nil // the service joins the repository around it
	}
	if out, err := run(dir, "-c", "init.defaultBranch=main", "init", "-q").CombinedOutput(); err != nil {
		os.RemoveAll(filepath.Join(dir, ".git")) // the tree was just written, without one: this is git's
		why := strings.TrimSpace(string(out))
		if why == "" {
			why = err.Error()
		}
		return "", fmt.Errorf("created %s, but git init failed (%s): run git init in it yourself, or twelve new --git=false", quote.Arg(dir), clip(firstLine(why)))
	}
	return "initialised a git repository in " + quote.Arg(dir), nil
}

// gitTimeout bounds each git command of twelve new.
const gitTimeout = 30 * time.Second

// withoutGit is an environment without the variables that steer git
// (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_*, ...).
func withoutGit(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(strings.ToUpper(kv), "GIT_")
	})
}

// firstLine is the first line of a text.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// whyNoPrompt says why twelve did not ask.
func whyNoPrompt(s *IOStreams, opts *newOptions) string {
	switch {
	case opts.NoInput:
		return "--no-input: nothing is asked"
	case s.CI:
		return "CI is set: nothing is asked"
	}
	return "no terminal to ask on"
}

// givenAnswers merges the answers file, if any, with the flags given, which
// win. A nil field was given by neither.
func givenAnswers(opts *newOptions) (answersFile, error) {
	var a answersFile
	if opts.AnswersFile != "" {
		var err error
		if a, err = readAnswersFile(opts.AnswersFile); err != nil {
			return a, err
		}
	}
	if opts.Name != "" {
		a.Name = &opts.Name
	}
	if opts.changed("module") {
		a.Module = &opts.Module
	}
	if opts.changed("prefix") {
		a.Prefix = &opts.Prefix
	}
	if opts.changed("port") {
		a.Port = &opts.Port
	}
	return a, nil
}

// askNew asks at the terminal for every answer not given, and reports
// whether it asked anything. Each answer is checked as its flag would be.
func askNew(f *factory, opts *newOptions, a *answersFile) (bool, error) {
	p := f.prompter
	asked := false
	if a.Name == nil {
		name, err := p.Input("Service name:", "a directory, a command and a binary: lowercase letters, digits, '-' and '_'", "",
			func(s string) error {
				if err := checkName(s); err != nil {
					return err
				}
				if opts.Dir == "" {
					return project.CheckTarget(s)
				}
				return nil
			})
		if err != nil {
			return asked, err
		}
		a.Name, asked = &name, true
	}
	if a.Module == nil {
		name := *a.Name
		module, err := p.Input("Go module path:", "where the code lives, such as github.com/acme/"+name, name,
			func(s string) error { return checkModule(s, name) })
		if err != nil {
			return asked, err
		}
		a.Module, asked = &module, true
	}
	if a.Components == nil && !opts.changed("with") && !opts.changed("without") {
		var options []Choice
		for _, c := range f.catalog.Components() {
			options = append(options, Choice{Name: c.Name, Summary: c.Summary})
		}
		names, err := p.SelectComponents("Components:", options, f.catalog.Defaults())
		if err != nil {
			return asked, err
		}
		a.Components, asked = &names, true
	}
	if a.Prefix == nil {
		example := strings.ToUpper(strings.NewReplacer("-", "_").Replace(*a.Name)) + "_"
		prefix, err := p.Input("Environment prefix (empty for none):",
			fmt.Sprintf("prepended to the variables' names, e.g. %sLOG_LEVEL; PORT keeps its name", example), "",
			func(s string) error { _, err := normalizePrefix(s); return err })
		if err != nil {
			return asked, err
		}
		a.Prefix, asked = &prefix, true
	}
	if a.Port == nil {
		answer, err := p.Input("Default port:", "the port the service listens on when PORT is not set", f.catalog.Default("PORT"),
			func(s string) error { _, err := parsePort(s); return err })
		if err != nil {
			return asked, err
		}
		port, _ := parsePort(answer)
		a.Port, asked = &port, true
	}
	return asked, nil
}

// printSummary shows what twelve is about to create.
func printSummary(w io.Writer, c *render.Catalog, dir string, a render.Answers, files int) {
	prefix := "none"
	if a.Prefix != "" {
		prefix = fmt.Sprintf("%s (e.g. %sLOG_LEVEL)", a.Prefix, a.Prefix)
	}
	port := c.Default("PORT")
	if a.Port != 0 {
		port = strconv.Itoa(a.Port)
	}
	fmt.Fprintf(w, "\ntwelve will create %s (%d files):\n", quote.Arg(dir), files)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  name\t%s\n", a.Name)
	fmt.Fprintf(tw, "  module\t%s\n", a.Module)
	fmt.Fprintf(tw, "  components\t%s\n", componentsPhrase(a.Components))
	fmt.Fprintf(tw, "  env prefix\t%s\n", prefix)
	fmt.Fprintf(tw, "  port\t%s\n", port)
	tw.Flush()
	fmt.Fprintln(w)
}

func componentsPhrase(names []string) string {
	if len(names) == 0 {
		return "no optional components"
	}
	return strings.Join(names, ", ")
}

// nameRE is what a service name may be: it names a directory, a command, a
// binary, a container image and a systemd unit, so it stays plain.
// Its length, at most 63, is checked apart: a counted repetition compiles
// to that many copies, slowly, at the start of every command.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// checkName checks a service's name, for the argument and the prompt.
func checkName(name string) error {
	if len(name) > 63 || !nameRE.MatchString(name) || strings.HasSuffix(name, "-") || strings.HasSuffix(name, "_") {
		return fmt.Errorf("invalid service name %s: use lowercase letters, digits, '-' and '_', starting with a letter and ending with a letter or digit, at most 63 characters", show(name))
	}
	if err := module.CheckImportPath(name); err != nil {
		return fmt.Errorf("invalid service name %s: %s: choose another name", show(name), reason(err))
	}
	return nil
}

// checkModule checks a module path, for --module and the prompt.
func checkModule(path, name string) error {
	if err := reservedModule(path); err != nil {
		return err
	}
	if err := moduleProblem(path); err != nil {
		return fmt.Errorf("%w (a module path looks like github.com/acme/%s)", err, name)
	}
	return nil
}

// moduleProblem says what is wrong with a module path, if anything.
func moduleProblem(path string) error {
	if len(path) > maxModule {
		return fmt.Errorf("invalid module path %s: longer than %d characters", show(path), maxModule)
	}
	if err := module.CheckImportPath(path); err != nil {
		return fmt.Errorf("invalid module path %s: %s", show(path), clip(reason(err)))
	}
	return reservedModule(path)
}

// prefixRE is what an environment prefix may be, before its final '_'.
var prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// normalizePrefix checks an environment prefix and ends it with '_'.
func normalizePrefix(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	if !prefixRE.MatchString(p) || len(p) > maxPrefix {
		return "", fmt.Errorf("invalid environment prefix %s: use uppercase letters, digits and '_', starting with a letter, e.g. %s_", show(p), clip(strings.ToUpper(strings.Trim(nonWord.ReplaceAllString(p, "_"), "_"))))
	}
	if !strings.HasSuffix(p, "_") {
		p += "_"
	}
	return p, nil
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// parsePort checks a port, for --port and the prompt.
func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("invalid port %s: use a number from 1 to 65535", show(s))
	}
	return n, nil
}

// newAnswers validates the answers given and turns them into render's,
// with defaults for the ones missing.
func newAnswers(c *render.Catalog, g answersFile, opts *newOptions) (render.Answers, error) {
	var a render.Answers
	if g.Name != nil {
		a.Name = *g.Name
	}
	if err := checkName(a.Name); err != nil {
		return a, usagef("%s", err)
	}
	a.Module = a.Name
	if g.Module != nil && *g.Module != "" {
		a.Module = *g.Module
	}
	if err := checkModule(a.Module, a.Name); err != nil {
		return a, usagef("%s", err)
	}
	if g.Prefix != nil {
		p, err := normalizePrefix(*g.Prefix)
		if err != nil {
			return a, usagef("%s (%s)", err, from(opts, "prefix"))
		}
		a.Prefix = p
	}
	if g.Port != nil {
		if _, err := parsePort(strconv.Itoa(*g.Port)); err != nil {
			return a, usagef("%s (%s)", err, from(opts, "port"))
		}
		if strconv.Itoa(*g.Port) != c.Default("PORT") {
			a.Port = *g.Port // recorded only when it is not the default
		}
	}
	for _, n := range opts.With.names {
		if slices.Contains(opts.Without.names, n) {
			return a, usagef("component %s is in both --with and --without: keep one", n)
		}
	}
	base := c.Defaults()
	if g.Components != nil {
		base = *g.Components
		for _, n := range base {
			if c.Component(n) == nil {
				return a, usagef("unknown component %s in --answers (known: %s)", show(n), strings.Join(c.Names(), ", "))
			}
		}
	}
	var names []string
	for _, n := range append(slices.Clone(base), opts.With.names...) {
		if !slices.Contains(opts.Without.names, n) {
			names = append(names, n)
		}
	}
	resolved, err := c.Resolve(names)
	if err != nil {
		return a, usagef("%s", err)
	}
	for _, n := range resolved {
		if slices.Contains(opts.Without.names, n) {
			return a, usagef("a chosen component needs %s: drop it from --without, or leave out what needs it", n)
		}
	}
	a.Components = resolved
	return a, nil
}

// from says where an answer came from: its flag, or the answers file.
func from(opts *newOptions, flag string) string {
	if opts.changed(flag) {
		return "--" + flag
	}
	return flag + " in --answers"
}

// maxModule and maxPrefix bound a module path and an environment prefix:
// beyond, they are mistakes, and would make unwieldy code and names.
const (
	maxModule = 255
	maxPrefix = 32
)

// show quotes what a user typed for an error message: escaped, so that no
// control character reaches the terminal, and cut when it is long.
func show(s string) string {
	if r := []rune(s); len(r) > 64 {
		return fmt.Sprintf("%q… (%d characters)", string(r[:48]), len(r))
	}
	return fmt.Sprintf("%q", s)
}

// clip cuts a long text for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:48]) + "…"
	}
	return s
}

// reason is what x/mod says is wrong, without the path it repeats.
func reason(err error) string {
	if e, ok := err.(*module.InvalidPathError); ok {
		return e.Err.Error()
	}
	return err.Error()
}
