// Package cli holds twelve's commands. Each command is built by its own
// constructor, parses its flags into an options struct and calls a run
// function; nothing here exits the process or prints to the real stdout.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/twelvefactor/twelve/internal/quote"
	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// Exit codes, one table for every command; the README and each command's
// help repeat it.
const (
	exitOK        = 0   // done, or nothing to do
	exitFailure   = 1   // failed; check: a factor failed; update --check: an update is available
	exitUsage     = 2   // a mistake in how twelve was called
	exitConflicts = 3   // update wrote conflict markers for the user to resolve
	exitPartial   = 4   // check could not read part of the tree
	exitInterrupt = 130 // interrupted (Ctrl-C, SIGTERM)
)

// factory carries what every command needs.
type factory struct {
	io      *IOStreams
	version string          // twelve's version, as recorded in manifests
	catalog *render.Catalog // today's templates: revisions.current()
	// revisions are every template revision twelve can render, for the
	// base of update, add and remove.
	revisions revisions
	// prompter asks at a terminal; nil when the streams are not files.
	prompter Prompter
}

// Main runs twelve with args (without the program name) and returns the exit
// code. buildVersion is main's -ldflags version, empty when not set.
func Main(ctx context.Context, args []string, io *IOStreams, buildVersion string) int {
	catalog, err := render.Load(templates.FS)
	if err != nil {
		fmt.Fprintf(io.ErrOut, "twelve: broken template tree: %s\n", err)
		return exitFailure
	}
	f := &factory{io: io, version: versionOf(buildVersion), catalog: catalog, revisions: shipped(catalog), prompter: newSurveyPrompter(io)}
	return execute(ctx, f, args)
}

// MainTemplates is Main knowing only the template trees given, oldest
// first, the last today's, instead of the archive twelve ships.
func MainTemplates(ctx context.Context, args []string, io *IOStreams, buildVersion string, trees []fs.FS) int {
	f, err := newFactory(io, versionOf(buildVersion), trees)
	if err != nil {
		fmt.Fprintf(io.ErrOut, "twelve: broken template tree: %s\n", err)
		return exitFailure
	}
	f.prompter = newSurveyPrompter(io)
	return execute(ctx, f, args)
}

// newFactory is what every command needs, with the template trees given
// as the revisions twelve knows. It has no prompter.
func newFactory(io *IOStreams, version string, trees []fs.FS) (*factory, error) {
	revs, err := given(trees)
	if err != nil {
		return nil, err
	}
	catalog, err := revs.current().load()
	if err != nil {
		return nil, err
	}
	return &factory{io: io, version: version, catalog: catalog, revisions: revs}, nil
}

// execute runs the command that args name and returns the exit code.
func execute(ctx context.Context, f *factory, args []string) int {
	io := f.io
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	// An error may hold a path or a name from the user's repository: no
	// control character of it reaches the terminal.
	fmt.Fprintf(io.ErrOut, "twelve: %s\n", quote.Text(err.Error()))
	var failed *failure
	var conflicts *conflictsError
	var partial *partialError
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupt
	case errors.As(err, &conflicts):
		return exitConflicts
	case errors.As(err, &partial):
		return exitPartial
	case errors.As(err, &failed):
		return exitFailure
	default:
		// Everything that did not come out of a command's work is about how
		// twelve was called: flags, arguments, unknown commands.
		return exitUsage
	}
}

// exitCodesHelp is the table of exit codes, for every command's help.
const exitCodesHelp = `Exit codes (every command):
  0    done, or nothing to do
  1    failed; check: a factor failed; update --check: an update is available
  2    usage: a bad flag, argument, name or component
  3    update wrote conflict markers for you to resolve
  4    check: no factor failed, but part of the tree could not be read
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP)`

// usageError is a mistake in how twelve was called. It exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// failure is an error from a command's work, as opposed to its arguments. It
// exits 1.
type failure struct{ err error }

func (e *failure) Error() string { return e.err.Error() }
func (e *failure) Unwrap() error { return e.err }

// runE adapts a command's work to cobra, marking the errors it returns as
// failures unless they are usage errors.
func runE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		var usage *usageError
		if err == nil || errors.As(err, &usage) {
			return err
		}
		return &failure{err: err}
	}
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "twelve",
		Short: "Create and grow twelve-factor web services in Go",
		Long: `twelve creates Go web services that are ready for operations on day one:
configured only from the environment, logging to stdout, with their state
under /-/, shutting down cleanly on SIGTERM, and run the same way by a
shell, systemd, Docker and a Procfile runner.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			hint := ""
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				hint = fmt.Sprintf(`; did you mean "%s"?`, strings.Join(s, `" or "`))
			}
			return usagef("unknown command %q: run 'twelve help' for the commands%s", args[0], hint)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				return printVersion(f)
			}
			return cmd.Help()
		},
	}
	// --version is a flag of twelve's own, not cobra's, so that the digest
	// of the templates (every template read and hashed, a tenth of a
	// command's start) is computed only when asked.
	root.Flags().BoolP("version", "v", false, "print twelve's version and build information")
	root.SuggestionsMinimumDistance = 2
	root.SetIn(f.io.In)
	root.SetOut(f.io.Out)
	root.SetErr(f.io.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// pflag repeats the value whole: quote it short, like every value
		// a user typed.
		var invalid *pflag.InvalidValueError
		if errors.As(err, &invalid) {
			cause := invalid.Unwrap().Error()
			if r := []rune(cause); len(r) > 200 {
				cause = string(r[:200]) + "…"
			}
			if invalid.GetFlag().Value.Type() == "bool" {
				cause = "true or false"
			}
			err = fmt.Errorf("invalid argument %s for \"--%s\" flag: %s", show(invalid.GetValue()), invalid.GetFlag().Name, cause)
		}
		if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
			if near := nearFlag(cmd, name); near != "" {
				if strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
					name = show(name) // not a flag's letters: quoted, so it cannot drive the terminal
				}
				return usagef("unknown flag --%s: did you mean --%s? (see '%s --help')", name, near, cmd.CommandPath())
			}
		}
		return usagef("%s (see '%s --help')", err, cmd.CommandPath())
	})
	defer func() {
		// One table of exit codes, in every command's help.
		root.Long += "\n\n" + exitCodesHelp
		for _, c := range root.Commands() {
			if c.Long == "" {
				c.Long = c.Short
			}
			c.Long = strings.TrimSuffix(c.Long, "\n") + "\n\n" + exitCodesHelp
		}
	}()
	root.AddCommand(
		newNewCmd(f, nil),
		newAddCmd(f),
		newUpdateCmd(f),
		newRemoveCmd(f),
		newListCmd(f),
		newCheckCmd(f),
		newVersionCmd(f),
	)
	root.SetHelpCommand(newHelpCmd())
	return root
}

// newHelpCmd is cobra's help command, but an unknown topic is a usage
// error with a suggestion, as an unknown command is, not the root's help.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, sub := range c.Root().Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			cmd, _, err := root.Find(args)
			if err != nil || (cmd == root && len(args) > 0) {
				hint := ""
				if s := root.SuggestionsFor(args[0]); len(s) > 0 {
					hint = fmt.Sprintf(`; did you mean "%s"?`, strings.Join(s, `" or "`))
				}
				return usagef("unknown help topic %q: run 'twelve help' for the commands%s", strings.Join(args, " "), hint)
			}
			return cmd.Help()
		},
	}
}

// nearFlag returns the flag of cmd whose name is nearest to a mistyped
// one, within two edits, or "".
func nearFlag(cmd *cobra.Command, name string) string {
	best, bestDist := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if d := editDistance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
