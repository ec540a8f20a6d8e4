package cli

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/quote"
	"github.com/twelvefactor/twelve/internal/render"
)

type addOptions struct {
	Components []string
	Dir        string
	DryRun     bool
	Force      bool
	NoInput    bool
}

func newAddCmd(f *factory) *cobra.Command {
	opts := &addOptions{}
	cmd := &cobra.Command{
		Use:   "add COMPONENT...",
		Short: "Add components to a service",
		Long: `Add components to the service in the current directory (or --dir), which
twelve finds through its .twelve.json, searched upward.

twelve renders the service as it made it and as it would make it with the
new components, and merges that change into your files, three ways: your
edits stay, anywhere, even in files marked DO NOT EDIT. Where your edit and
the change touch the same lines, nothing is written and the places are
named: --dry-run shows them, --force takes twelve's side there (your other
edits stay) and keeps yours
as FILE.orig. A service made by an older twelve gets today's templates on
the way, as twelve update would give them; if that brings conflicts, run
twelve update first.

In a Go module that twelve did not make, components that stand alone
(healthcheck) are written as a package, and the lines that wire them into
your main are printed.`,
		Example: `  twelve add postgres redis
  twelve add k8s --dry-run
  twelve add healthcheck --force`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && len(splitNames(args)) == 0 {
				return usagef("no component named in %s: twelve add COMPONENT... ('twelve list' shows them)", show(strings.Join(args, " ")))
			}
			if len(args) == 0 && !opts.canPrompt(f) {
				return usagef("twelve add needs the components to add: twelve add COMPONENT... ('twelve list' shows them)")
			}
			return knownComponents(f, args)
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, c := range f.catalog.Components() {
				if !slices.Contains(args, c.Name) {
					out = append(out, cobra.CompletionWithDesc(c.Name, c.Summary))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.Components = splitNames(args)
			return runAdd(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "a directory of the service")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and a diff of every change, write nothing")
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt: name the components as arguments")
	fl.BoolVar(&opts.Force, "force", false, "where your edits and the change overlap, take twelve's side (the rest of your edits stay), keeping your file as FILE.orig")
	return cmd
}

// canPrompt reports whether add may ask which components to add.
func (opts *addOptions) canPrompt(f *factory) bool {
	return f.io.CanPrompt() && !opts.NoInput && f.prompter != nil
}

// choose asks which of the components not yet in a service to add.
func choose(f *factory, svc string, have []string, standalone bool) ([]string, error) {
	var options []Choice
	for _, c := range f.catalog.Components() {
		if !slices.Contains(have, c.Name) && (!standalone || c.Standalone != nil) {
			options = append(options, Choice{Name: c.Name, Summary: c.Summary})
		}
	}
	if len(options) == 0 {
		return nil, fmt.Errorf("%s already has every component: nothing to add", svc)
	}
	chosen, err := f.prompter.SelectComponents("Components to add to "+svc+":", options, nil)
	if err != nil {
		return nil, err
	}
	if len(chosen) == 0 {
		return nil, usagef("no component chosen: nothing to do (space checks one, enter accepts)")
	}
	return chosen, nil
}

func runAdd(ctx context.Context, f *factory, opts *addOptions) error {
	_, ok, err := project.Find(f.io.path(opts.Dir))
	if err != nil {
		return err
	}
	if !ok {
		if err := checkDir(f, opts.Dir); err != nil {
			return err
		}
		return addToModule(ctx, f, opts)
	}
	s, err := openService(f, opts.Dir, opts.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	answers, err := manifestAnswers(f.catalog, s.m)
	if err != nil {
		return err
	}
	asked := len(opts.Components) == 0
	if asked {
		if opts.Components, err = choose(f, s.m.Name, answers.Components, false); err != nil {
			return err
		}
	}
	var present, added []string
	want := slices.Clone(answers.Components)
	for _, c := range opts.Components {
		if slices.Contains(answers.Components, c) {
			present = append(present, c)
		} else {
			want = append(want, c)
		}
	}
	resolved, err := f.catalog.Resolve(want)
	if err != nil {
		return err
	}
	for _, c := range resolved {
		if !slices.Contains(answers.Components, c) {
			added = append(added, c)
		}
	}
	if len(added) == 0 {
		fmt.Fprintf(f.io.ErrOut, "%s already has %s: nothing to do\n", s.label, strings.Join(present, ", "))
		return nil
	}
	target := answers
	target.Components = resolved
	plan, err := s.plan(f, reconcileOptions{target: target, force: opts.Force})
	if err != nil {
		return err
	}

	what := strings.Join(added, ", ")
	if extra := without(added, opts.Components); len(extra) > 0 {
		what += " (" + strings.Join(extra, ", ") + " needed by the others)"
	}
	if opts.DryRun {
		fmt.Fprintf(f.io.Out, "twelve add %s in %s: the plan\n", what, s.label)
		printChanges(f.io.Out, plan)
		printDiffs(f.io.Out, plan)
		if conflicts := conflictLines(plan); len(conflicts) > 0 {
			return fmt.Errorf("your edits overlap twelve's changes at %s (above): nothing written (--dry-run); %s", strings.Join(conflicts, ", "), forceHint)
		}
		fmt.Fprintln(f.io.ErrOut, "nothing written (--dry-run)")
		return nil
	}
	if err := stopOnConflicts(f, s, plan, "add "+strings.Join(opts.Components, " ")); err != nil {
		return err
	}
	if asked {
		fmt.Fprintf(f.io.ErrOut, "twelve add %s in %s:\n", what, s.label)
		printChanges(f.io.ErrOut, plan)
		ok, err := f.prompter.Confirm("Write these changes?", true)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("not confirmed: nothing was written")
		}
	}
	if err := project.Apply(ctx, s.root, plan); err != nil {
		return err
	}
	if !asked {
		printChanges(f.io.ErrOut, plan)
	}
	fmt.Fprintf(f.io.ErrOut, "added %s to %s\n", what, s.label)
	if s.m.Templates != f.revisions.current().digest {
		fmt.Fprintf(f.io.ErrOut, "and brought it from twelve %s to today's templates (%s), as twelve update would: %s\n", s.m.Twelve, short(f.revisions.current().digest), summary(plan))
	}
	fmt.Fprintln(f.io.ErrOut, s.nextStep(f, plan, f.catalog.RunEnv(target)))
	return nil
}

// manifestAnswers checks what a manifest says with the Validate of every
// command, so that a hand-edited manifest fails with a reason, not a
// broken tree.
func manifestAnswers(c *render.Catalog, m project.Manifest) (render.Answers, error) {
	a := m.Answers()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: restore it from version control (git checkout -- %s)", project.ManifestFile, fmt.Sprintf(format, args...), project.ManifestFile)
	}
	if err := a.Validate(c.Names()); err != nil {
		var e *answers.Error
		if errors.As(err, &e) && e.Key == "components" {
			return a, bad("unknown component %s: was it made by a newer twelve?", show(e.Value))
		}
		return a, bad("%v", err)
	}
	resolved, err := c.Resolve(a.Components)
	if err != nil {
		return a, bad("%v", err)
	}
	a.Components = resolved
	return a, nil
}

// addToModule adds standalone components to a Go module that twelve did not
// make: their package, and the lines that wire them in.
func addToModule(ctx context.Context, f *factory, opts *addOptions) error {
	dir, ok, err := project.FindModule(f.io.path(opts.Dir))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no go.mod in %s or above: run twelve add inside a Go module, or start a service with twelve new NAME", f.io.rel(opts.Dir))
	}
	data, err := readCapped(filepath.Join(dir, "go.mod"), maxGoMod)
	var large *project.TooLargeError
	if errors.As(err, &large) {
		return fmt.Errorf("%s is larger than %d MiB: not a go.mod twelve can read", filepath.Join(f.io.rel(dir), "go.mod"), maxGoMod>>20)
	}
	if project.IsNotRegular(err) {
		return fmt.Errorf("%v: not a go.mod twelve can read; replace it with the module's go.mod", err)
	}
	if err != nil {
		return err
	}
	modPath := modfile.ModulePath(data)
	if modPath == "" {
		return fmt.Errorf("%s has no module line: fix it with go mod init", filepath.Join(f.io.rel(dir), "go.mod"))
	}
	if err := answers.ModuleProblem(modPath); err != nil {
		return fmt.Errorf("%s: %v: fix its module line", filepath.Join(f.io.rel(dir), "go.mod"), err)
	}
	// The components' code is written for the Go of twelve's services
	// (range over int, iterators): an older go line would not build it.
	if mf, err := modfile.ParseLax("go.mod", data, nil); err == nil && mf.Go != nil {
		need := strings.TrimPrefix(version.Lang("go"+f.catalog.GoVersion()), "go") // 1.25, as go lines say it
		if version.Compare("go"+mf.Go.Version, "go"+need) < 0 {
			return fmt.Errorf("%s says go %s, and twelve's components need go %s or later: raise it with go mod edit -go=%s, then run twelve add again", filepath.Join(f.io.rel(dir), "go.mod"), mf.Go.Version, need, need)
		}
	}
	if len(opts.Components) == 0 {
		if opts.Components, err = choose(f, modPath, nil, true); err != nil {
			return err
		}
	}
	for _, name := range opts.Components {
		if f.catalog.Component(name).Standalone == nil {
			var can []string
			for _, c := range f.catalog.Components() {
				if c.Standalone != nil {
					can = append(can, c.Name)
				}
			}
			return fmt.Errorf("%s was not made by twelve new (no %s), and %s needs a service that was: only %s can be added to a plain Go module", f.io.rel(dir), project.ManifestFile, name, strings.Join(can, ", "))
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	// The service's name, where components use it, is the module's last
	// element when that is one.
	a := render.Answers{Name: path.Base(modPath), Module: modPath}
	if a.Validate(nil) != nil {
		a.Name = "service"
	}
	var plan project.Plan
	for _, comp := range opts.Components {
		files, err := f.catalog.RenderOwn(render.Answers{Name: a.Name, Module: modPath, Components: []string{comp}}, comp)
		if err != nil {
			return err
		}
		p, err := project.PlanFiles(root, files)
		if err != nil {
			return err
		}
		plan.Changes = append(plan.Changes, p.Changes...)
	}
	if conflicts := plan.Conflicts(); len(conflicts) > 0 {
		for _, c := range conflicts {
			fmt.Fprintf(f.io.ErrOut, "conflict: %s: %s\n", quote.Arg(c.Path), c.Note)
		}
		return fmt.Errorf("%s in the way, so nothing was written: move them aside and run again", plural(len(conflicts), "file"))
	}
	if opts.DryRun {
		printChanges(f.io.Out, plan)
		for _, c := range plan.Writes() {
			fmt.Fprint(f.io.Out, diff(c))
		}
		fmt.Fprintln(f.io.ErrOut, "nothing written (--dry-run)")
		return nil
	}
	if err := project.Apply(ctx, root, plan); err != nil {
		return err
	}
	printChanges(f.io.ErrOut, plan)
	for _, comp := range opts.Components {
		s := f.catalog.Component(comp).Standalone
		fmt.Fprintf(f.io.Out, "// %s: wire it into your main:\nimport %q\n\n", comp, modPath+"/"+s.Package)
		for _, l := range s.Wiring {
			fmt.Fprintln(f.io.Out, l)
		}
		fmt.Fprintln(f.io.Out)
	}
	fmt.Fprintf(f.io.ErrOut, "added %s to %s, which twelve did not make: wire it in with the lines above\n", strings.Join(opts.Components, ", "), quote.Arg(modPath))
	return nil
}

// maxGoMod bounds the go.mod that add reads in a module twelve did not
// make.
const maxGoMod = 4 << 20

// diff is the unified diff of one change.
func diff(c project.Change) string {
	from := "a/" + c.Path
	if c.Old == nil {
		from = "/dev/null"
	}
	return udiff.Unified(from, "b/"+c.Path, string(c.Old), string(c.New))
}

// plural says "1 file" or "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// without returns the names in a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
