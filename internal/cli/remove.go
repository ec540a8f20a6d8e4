package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/twelvefactor/twelve/internal/project"
)

type removeOptions struct {
	Components []string
	Dir        string
	DryRun     bool
	Force      bool
}

func newRemoveCmd(f *factory) *cobra.Command {
	opts := &removeOptions{}
	cmd := &cobra.Command{
		Use:   "remove COMPONENT...",
		Short: "Take components out of a service",
		Long: `Take components out of the service in the current directory (or --dir).

The files of the component that you left as twelve wrote them are deleted;
the ones you edited are kept, and named. Its lines in the files it shares
with others (wiring, README, Makefile) come out through the same three-way
merge as twelve update, so your edits there stay. A go.mod requirement goes
only when no Go file imports it any more. A component's data (the postgres
migrations) is yours and stays. When you had edited nothing, the service is
as twelve new would have made it without the component.

A component that another one in the service needs cannot go first:
remove both.`,
		Example: `  twelve remove redis
  twelve remove postgres --dry-run`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(splitNames(args)) == 0 {
				return usagef("twelve remove needs the components to remove: twelve remove COMPONENT... (%s lists the service's)", project.ManifestFile)
			}
			return knownComponents(f, args)
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.Components = splitNames(args)
			return runRemove(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "a directory of the service")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and a diff of every change, write nothing")
	fl.BoolVar(&opts.Force, "force", false, "where your edits and the removal overlap, take twelve's side (the rest of your edits stay), keeping your file as FILE.orig")
	return cmd
}

// splitNames accepts components as separate arguments or comma-separated.
func splitNames(args []string) []string {
	var out []string
	for _, a := range args {
		for _, n := range strings.Split(a, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

func runRemove(ctx context.Context, f *factory, opts *removeOptions) error {
	s, err := openService(f, opts.Dir, opts.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	answers, err := manifestAnswers(f.catalog, s.m)
	if err != nil {
		return err
	}
	// A component the service lacks is gone already, as add of one it has
	// is done already: nothing to do for it.
	var absent []string
	for _, c := range opts.Components {
		if !slices.Contains(answers.Components, c) {
			absent = append(absent, c)
		}
	}
	if len(absent) > 0 {
		fmt.Fprintf(f.io.ErrOut, "%s has no %s: nothing to remove for it\n", s.label, strings.Join(absent, ", "))
		if opts.Components = without(opts.Components, absent); len(opts.Components) == 0 {
			return nil
		}
	}
	target := answers
	target.Components = without(answers.Components, opts.Components)
	// Those that need what goes, and those that need them: the command
	// that removes them all, in one go.
	var needers []string
	all := slices.Clone(opts.Components)
	for grew := true; grew; {
		grew = false
		for _, other := range without(answers.Components, all) {
			if slices.ContainsFunc(f.catalog.Component(other).Requires, func(n string) bool { return slices.Contains(all, n) }) {
				needers, all, grew = append(needers, other), append(all, other), true
			}
		}
	}
	if len(needers) > 0 {
		verb := "needs"
		if len(needers) > 1 {
			verb = "need"
		}
		return fmt.Errorf("%s %s what you remove: remove them too (twelve remove %s)", strings.Join(needers, " and "), verb, strings.Join(all, " "))
	}
	plan, err := s.plan(f, reconcileOptions{target: target, force: opts.Force})
	if err != nil {
		return err
	}
	what := strings.Join(opts.Components, ", ")
	if opts.DryRun {
		fmt.Fprintf(f.io.Out, "twelve remove %s from %s: the plan\n", what, s.label)
		printChanges(f.io.Out, plan)
		printDiffs(f.io.Out, plan)
		if conflicts := conflictLines(plan); len(conflicts) > 0 {
			return fmt.Errorf("your edits overlap the removal at %s: nothing written (--dry-run); %s", strings.Join(conflicts, ", "), forceHint)
		}
		fmt.Fprintln(f.io.ErrOut, "nothing written (--dry-run)")
		s.warnDangling(f, plan, answers.Module, target.Module)
		return nil
	}
	if err := stopOnConflicts(f, s, plan, "remove"); err != nil {
		return err
	}
	if err := s.apply(ctx, f, plan); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "removed %s from %s: %s\n", what, s.label, summary(plan))
	s.warnDangling(f, plan, answers.Module, target.Module)
	fmt.Fprintln(f.io.ErrOut, s.nextStep(f, plan, ""))
	return nil
}

// forceHint says what --force does, in errors about conflicts.
const forceHint = "--force takes twelve's side where they overlap (your other edits stay), keeping your file as FILE.orig"

// stopOnConflicts fails, naming them, when a plan of add or remove has
// conflicts: those commands write no markers. When the service was made by
// older templates, the conflicts may come from the update that the command
// takes in on the way, so it says to update first.
func stopOnConflicts(f *factory, s *service, plan project.Plan, verb string) error {
	conflicts := conflictLines(plan)
	if len(conflicts) == 0 {
		return nil
	}
	printChanges(f.io.ErrOut, plan)
	if s.m.Templates != f.revisions.current().digest {
		return fmt.Errorf("your edits overlap twelve's changes at %s, so nothing was written: this service was made by older templates; run twelve update first (it writes conflict markers to resolve), then twelve %s again", strings.Join(conflicts, ", "), verb)
	}
	return fmt.Errorf("your edits overlap twelve's changes at %s, so nothing was written: --dry-run shows them; %s", strings.Join(conflicts, ", "), forceHint)
}
