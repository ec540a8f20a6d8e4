package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/module"

	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/render"
)

type newOptions struct {
	Name    string
	Module  string
	Dir     string
	With    *componentList
	Without *componentList
	NoInput bool
	DryRun  bool
}

func newNewCmd(f *factory) *cobra.Command {
	opts := &newOptions{
		With:    &componentList{catalog: f.catalog},
		Without: &componentList{catalog: f.catalog},
	}
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Create a new service",
		Long: fmt.Sprintf(`Create a new twelve-factor web service in ./NAME (or --dir).

The service gets the default components (%s) unless --with
and --without say otherwise; 'twelve list' shows them all. Nothing is written
unless the whole service could be: the target must be absent or empty, and the
tree appears there at once, complete.`, strings.Join(f.catalog.Defaults(), ", ")),
		Example: `  twelve new myservice
  twelve new billing --module github.com/acme/billing --dir services/billing
  twelve new tiny --without metrics,systemd --dry-run`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usagef("twelve new needs the service's name: twelve new NAME")
			case 1:
				return nil
			}
			return usagef("twelve new takes one NAME, got %d arguments: %s", len(args), strings.Join(args, " "))
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			return runNew(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Module, "module", "", "Go module path (default NAME)")
	fl.StringVar(&opts.Dir, "dir", "", "directory to create (default ./NAME)")
	fl.Var(opts.With, "with", "add components to the defaults, comma-separated")
	fl.Var(opts.Without, "without", "leave out default components, comma-separated")
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt; use flags and defaults")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the files that would be written, write nothing")
	cmd.RegisterFlagCompletionFunc("with", opts.With.complete)
	cmd.RegisterFlagCompletionFunc("without", opts.Without.complete)
	cmd.RegisterFlagCompletionFunc("module", cobra.NoFileCompletions)
	return cmd
}

func runNew(ctx context.Context, f *factory, opts *newOptions) error {
	answers, err := newAnswers(f.catalog, opts)
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
	files = append(files, project.NewManifest(f.version, answers, files).File())
	slices.SortFunc(files, func(a, b render.File) int { return strings.Compare(a.Path, b.Path) })

	if opts.DryRun {
		for _, file := range files {
			fmt.Fprintln(f.io.Out, filepath.Join(dir, filepath.FromSlash(file.Path)))
		}
		fmt.Fprintf(f.io.ErrOut, "would create %s (%d files); nothing written (--dry-run)\n", dir, len(files))
		return nil
	}
	if err := project.WriteNew(ctx, dir, files); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "created %s (%d files) with %s\nnext: cd %s && make run\n",
		dir, len(files), componentsPhrase(answers.Components), dir)
	return nil
}

func componentsPhrase(names []string) string {
	if len(names) == 0 {
		return "no optional components"
	}
	return strings.Join(names, ", ")
}

// nameRE is what a service name may be: it names a directory, a command, a
// binary, a container image and a systemd unit, so it stays plain.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// checkName returns an error unless name can name a service.
func checkName(name string) error {
	if !nameRE.MatchString(name) || strings.HasSuffix(name, "-") || strings.HasSuffix(name, "_") {
		return fmt.Errorf("invalid service name %q: use lowercase letters, digits, '-' and '_', starting with a letter and ending with a letter or digit, at most 63 characters", name)
	}
	if err := module.CheckImportPath(name); err != nil {
		return fmt.Errorf("invalid service name %q: %s: choose another name", name, reason(err))
	}
	return nil
}

// newAnswers validates the options and turns them into answers.
func newAnswers(c *render.Catalog, opts *newOptions) (render.Answers, error) {
	a := render.Answers{Name: opts.Name, Module: opts.Module}
	if err := checkName(a.Name); err != nil {
		return a, usagef("%v", err)
	}
	if a.Module == "" {
		a.Module = a.Name
	}
	if err := module.CheckImportPath(a.Module); err != nil {
		return a, usagef("invalid module path %q: %s (a module path looks like github.com/acme/%s)", a.Module, reason(err), a.Name)
	}
	for _, n := range opts.With.names {
		if slices.Contains(opts.Without.names, n) {
			return a, usagef("component %s is in both --with and --without: keep one", n)
		}
	}
	var names []string
	for _, n := range append(c.Defaults(), opts.With.names...) {
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

// reason is what x/mod says is wrong, without the path it repeats.
func reason(err error) string {
	if e, ok := err.(*module.InvalidPathError); ok {
		return e.Err.Error()
	}
	return err.Error()
}
