package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/quote"
	"github.com/twelvefactor/twelve/internal/render"
)

type newOptions struct {
	Name string
	// Answers are the flags of the answers that have one (module, prefix,
	// port), by key, as typed.
	Answers     map[string]*answerFlag
	Dir         string
	With        *componentList
	Without     *componentList
	AnswersFile string
	NoInput     bool
	DryRun      bool
	Git         bool
	// changed reports whether a flag was given on the command line.
	changed func(flag string) bool
}

// newNewCmd builds twelve new; runF, when not nil, is called instead of
// runNew, for tests that look at the options the flags give.
func newNewCmd(f *factory, runF func(*newOptions) error) *cobra.Command {
	opts := &newOptions{
		Answers: map[string]*answerFlag{},
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
.twelve.json) or an answers file (JSON or YAML: %s);
flags win over the file. An empty answer takes its default.

The service gets the default components (%s) unless --with
and --without say otherwise; 'twelve list' shows them all. Nothing is written
unless the whole service could be: the target must be absent or empty, and the
tree appears there at once, complete.`, strings.Join(answers.Keys(false), ", "), strings.Join(f.catalog.Defaults(), ", ")),
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
			if runF != nil {
				return runF(opts)
			}
			return runNew(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	for _, field := range answers.Fields {
		if field.Flag == "" {
			continue // the NAME argument; --with and --without
		}
		opts.Answers[field.Key] = &answerFlag{kind: field.Kind}
		fl.Var(opts.Answers[field.Key], field.Flag, answers.Expand(field.Usage, answers.Answers{}, f.catalog.Default("PORT")))
		cmd.RegisterFlagCompletionFunc(field.Flag, cobra.NoFileCompletions)
	}
	fl.StringVar(&opts.Dir, "dir", "", "directory to create (default ./NAME)")
	fl.Var(opts.With, "with", "add components to the defaults, comma-separated")
	fl.Var(opts.Without, "without", "leave out default components, comma-separated")
	fl.StringVar(&opts.AnswersFile, "answers", "", "replay answers from a .twelve.json or a JSON or YAML answers file")
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt; use flags and defaults")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the files that would be written, write nothing")
	fl.BoolVar(&opts.Git, "git", true, "git init the service, unless it is inside a git work tree already (--git=false: never)")
	cmd.RegisterFlagCompletionFunc("with", opts.With.complete)
	cmd.RegisterFlagCompletionFunc("without", opts.Without.complete)
	cmd.MarkFlagFilename("answers", "json", "yaml", "yml")
	return cmd
}

func runNew(ctx context.Context, f *factory, opts *newOptions) error {
	given, err := givenAnswers(f.io, opts)
	if err != nil {
		return err
	}
	asked := false
	if f.io.CanPrompt() && !opts.NoInput && f.prompter != nil {
		if asked, err = askNew(f, opts, &given); err != nil {
			return err
		}
	} else if !given.has("name") {
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
	if f.io.within(dir) {
		return usagef("twelve new writes the service as a new directory in place of %s, which is where you are: run it from the parent directory (cd .. && twelve new NAME)", quote.Arg(dir))
	}
	if err := project.CheckTarget(f.io.path(dir)); err != nil {
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
	if err := project.WriteNew(ctx, f.io.path(dir), files); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "created %s (%d files) with %s\n", quote.Arg(dir), len(files), componentsPhrase(answers.Components))
	if opts.Git {
		msg, err := gitInit(ctx, f.io, dir)
		if err != nil {
			return err
		}
		if msg != "" {
			fmt.Fprintln(f.io.ErrOut, msg)
		}
	}
	fmt.Fprintf(f.io.ErrOut, "next: cd %s && %smake run\n", quote.Arg(dir), f.catalog.RunEnv(answers))
	return nil
}

// gitInit makes dir a git repository, as cargo new does, so that the
// service is a codebase from its first minute (factor I), unless it is
// inside a work tree already: then it is part of that one. It returns what
// the user should know, "" when it did its job.
//
// git runs in dir (or its parent, to ask whether that is a work tree),
// which is named as the user gave it and found through io, with no GIT_*
// variable of twelve's environment: GIT_DIR, GIT_WORK_TREE
// and the like would make it write a repository somewhere else.
//
// A git init that fails (a full disk, a read-only file system) fails the
// command: the service stays, complete, since it was written whole before
// git ran, but whatever git left of .git is removed, so that a broken
// repository never passes for a good one.
func gitInit(ctx context.Context, io *IOStreams, dir string) (string, error) {
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
		cmd.Dir = io.path(in)
		cmd.Env = withoutGit(io.environ())
		return cmd
	}
	if out, err := run(filepath.Dir(filepath.Clean(dir)), "rev-parse", "--show-toplevel").Output(); err == nil {
		// The service joins the repository around it, where GitHub does
		// not look for its workflow: only the root's .github/workflows run.
		top := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(io.path(dir), ".github", "workflows")); err == nil && top != "" {
			abs, _ := filepath.Abs(io.path(dir))
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
			}
			rel, _ := filepath.Rel(top, abs)
			return fmt.Sprintf("note: %s is inside the git repository at %s, and GitHub runs only the workflows of the repository's root: move %s there, with working-directory: %s", quote.Arg(dir), quote.Arg(top), filepath.Join(".github", "workflows", "ci.yml"), filepath.ToSlash(rel)), nil
		}
		return "", nil
	}
	if out, err := run(dir, "-c", "init.defaultBranch=main", "init", "-q").CombinedOutput(); err != nil {
		os.RemoveAll(filepath.Join(io.path(dir), ".git")) // the tree was just written, without one: this is git's
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
// win.
func givenAnswers(io *IOStreams, opts *newOptions) (gathered, error) {
	var g gathered
	if opts.AnswersFile != "" {
		var err error
		if g, err = readAnswersFile(opts.AnswersFile, io.path(opts.AnswersFile)); err != nil {
			return g, err
		}
	}
	if opts.Name != "" {
		g.set("name", opts.Name, "NAME")
	}
	for _, field := range answers.Fields {
		if field.Flag != "" && opts.changed(field.Flag) {
			g.set(field.Key, opts.Answers[field.Key].text, "--"+field.Flag)
		}
	}
	return g, nil
}

// askNew asks at the terminal for every answer not given, in the order of
// answers.Fields, and reports whether it asked anything. Each answer is
// checked as its flag would be.
func askNew(f *factory, opts *newOptions, g *gathered) (bool, error) {
	p := f.prompter
	port := f.catalog.Default("PORT")
	asked := false
	for _, field := range answers.Fields {
		if g.has(field.Key) {
			continue
		}
		sofar := answers.Answers{Name: g.texts["name"].text}
		if field.Kind == answers.List {
			if opts.changed("with") || opts.changed("without") {
				continue
			}
			var options []Choice
			for _, c := range f.catalog.Components() {
				options = append(options, Choice{Name: c.Name, Summary: c.Summary})
			}
			names, err := p.SelectComponents(field.Question, options, f.catalog.Defaults())
			if err != nil {
				return asked, err
			}
			g.components, asked = &names, true
			continue
		}
		text, err := p.Input(field.Question, answers.Expand(field.Help, sofar, port), field.Default(sofar, port),
			func(s string) error {
				a := sofar
				if err := field.Parse(&a, s); err != nil {
					return err
				}
				if err := field.Check(a.WithDefaults(), f.catalog.Names()); err != nil {
					return withHint(err)
				}
				if field.Key == "name" && opts.Dir == "" {
					return project.CheckTarget(f.io.path(s))
				}
				return nil
			})
		if err != nil {
			return asked, err
		}
		g.set(field.Key, text, "the prompt")
		asked = true
	}
	return asked, nil
}

// withHint adds to an answer's error what a right one looks like, where
// the user types it.
func withHint(err error) error {
	var e *answers.Error
	if errors.As(err, &e) && e.Hint != "" {
		return fmt.Errorf("%w (%s)", err, e.Hint)
	}
	return err
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

// newAnswers parses and validates the answers given, as every command
// does (package answers), with defaults for the ones missing, and the
// components of --with and --without.
func newAnswers(c *render.Catalog, g gathered, opts *newOptions) (render.Answers, error) {
	var a render.Answers
	for _, field := range answers.Fields {
		if t, ok := g.texts[field.Key]; ok {
			if err := field.Parse(&a, t.text); err != nil {
				return a, usagef("%s (%s)", err, t.from)
			}
		}
	}
	a = a.WithDefaults()
	a.Components = c.Defaults()
	if g.components != nil {
		a.Components = *g.components
	}
	if err := a.Validate(c.Names()); err != nil {
		var e *answers.Error
		if errors.As(err, &e) && e.Key == "components" {
			if at := g.componentsAt[e.Value]; at != "" {
				return a, usagef("%s: unknown component %s in --answers (known: %s)", at, show(e.Value), strings.Join(c.Names(), ", "))
			}
			return a, usagef("unknown component %s in --answers (known: %s)", show(e.Value), strings.Join(c.Names(), ", "))
		}
		if e != nil && g.texts[e.Key].inFile {
			return a, usagef("%s (%s)", withHint(err), g.texts[e.Key].from)
		}
		return a, usagef("%s", withHint(err))
	}
	if strconv.Itoa(a.Port) == c.Default("PORT") {
		a.Port = 0 // recorded only when it is not the default
	}
	for _, n := range opts.With.names {
		if slices.Contains(opts.Without.names, n) {
			return a, usagef("component %s is in both --with and --without: keep one", n)
		}
	}
	var names []string
	for _, n := range append(slices.Clone(a.Components), opts.With.names...) {
		if !slices.Contains(opts.Without.names, n) {
			names = append(names, n)
		}
	}
	resolved, err := c.Resolve(names)
	if err != nil {
		return a, usagef("%s", err)
	}
	for _, n := range resolved {
		if !slices.Contains(opts.Without.names, n) {
			continue
		}
		for _, by := range names {
			if comp := c.Component(by); comp != nil && slices.Contains(comp.Requires, n) {
				return a, usagef("%s needs %s: drop %s from --without, or leave out %s", by, n, n, by)
			}
		}
		return a, usagef("a chosen component needs %s: drop it from --without, or leave out what needs it", n)
	}
	a.Components = resolved
	return a, nil
}

// show quotes what a user typed for an error message: escaped, so that no
// control character reaches the terminal, and cut when it is long.
func show(s string) string { return answers.Show(s) }

// clip cuts a long text for an error message.
func clip(s string) string { return answers.Clip(s) }
