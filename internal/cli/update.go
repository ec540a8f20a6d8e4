package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/render"
)

type updateOptions struct {
	Dir      string
	DryRun   bool
	Check    bool
	Conflict string
	Abort    bool
	Restore  []string
	Set      []string
}

func newUpdateCmd(f *factory) *cobra.Command {
	opts := &updateOptions{}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Bring a service up to this twelve's templates",
		Long: `Bring the service in the current directory (or --dir) up to the templates of
this twelve, keeping your changes.

twelve renders the service as it made it (the template revision and answers
in .twelve.json), renders it as it would make it now, and merges that change
into your files, three ways, line by line: your edits stay, twelve's
improvements arrive beside them. go.mod keeps your requirements and gets
twelve's raised, never lowered. Where your change and twelve's overlap, the
file gets conflict markers (<<<<<<< yours, ||||||| twelve OLD, =======,
>>>>>>> twelve NEW) and update exits 3, naming each FILE:LINE; until they are
resolved, no twelve command writes. --abort puts back exactly what was there
before. A file you deleted stays deleted (--restore brings it back); a file
twelve no longer writes is deleted if you left it alone, kept if you did not.
Your own files (migrations) are never touched.

--set KEY=VALUE changes an answer (` + strings.Join(answers.Keys(true), ", ") + `) and renders
the service with it, through the same merge.`,
		Example: `  twelve update --dry-run
  twelve update
  twelve update --check            # in CI: exit 1 when an update is available
  twelve update --abort
  twelve update --set module=github.com/acme/billing
  twelve update --restore Procfile`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runUpdate(cmd.Context(), f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Dir, "dir", ".", "a directory of the service")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and a diff of every change, write nothing")
	fl.BoolVar(&opts.Check, "check", false, "write nothing; exit 1 when an update is available, listing the files it would change")
	fl.StringVar(&opts.Conflict, "conflict", "markers", "where your change and twelve's overlap: markers (write diff3 markers, exit 3) or stop (write nothing)")
	fl.BoolVar(&opts.Abort, "abort", false, "undo the last update that wrote conflicts: every file back as it was")
	fl.StringArrayVar(&opts.Restore, "restore", nil, "bring back a file twelve writes that you deleted, by its path from the service's root, as .twelve.json lists it (repeatable)")
	fl.StringArrayVar(&opts.Set, "set", nil, "change an answer: "+orList(settable("="))+" (repeatable); an empty VALUE is the default")
	cmd.RegisterFlagCompletionFunc("conflict", cobra.FixedCompletions([]string{"markers", "stop"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runUpdate(ctx context.Context, f *factory, opts *updateOptions) error {
	if opts.Conflict != "markers" && opts.Conflict != "stop" {
		return usagef("--conflict is markers or stop, not %s", show(opts.Conflict))
	}
	if opts.Abort {
		if opts.DryRun || opts.Check || len(opts.Set) > 0 || len(opts.Restore) > 0 {
			return usagef("--abort takes no other flag but --dir")
		}
		return runAbort(ctx, f, opts.Dir)
	}
	s, err := openService(f, opts.Dir, opts.DryRun || opts.Check)
	if err != nil {
		return err
	}
	defer s.Close()
	target, err := manifestAnswers(f.catalog, s.m)
	if err != nil {
		return err
	}
	// --restore names a file from the service's root; one typed from where
	// the user is, such as ../../Procfile in a folder of the service, or
	// an absolute path, is taken too.
	for i, p := range opts.Restore {
		if _, ok := s.m.Files[p]; ok {
			continue
		}
		abs, err := filepath.Abs(f.io.path(p)) // the process's working directory when twelve runs alone
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(s.dir, abs); err == nil {
			if _, ok := s.m.Files[filepath.ToSlash(rel)]; ok {
				opts.Restore[i] = filepath.ToSlash(rel)
			}
		}
	}
	if target, err = setAnswers(f.catalog, target, opts.Set); err != nil {
		return err
	}
	plan, err := s.plan(f, reconcileOptions{target: target, restore: opts.Restore, markers: opts.Conflict == "markers" && !opts.Check && !opts.DryRun})
	if err != nil {
		return err
	}
	from := s.m.Twelve
	if s.m.Templates != "" {
		from += ", templates " + short(s.m.Templates)
	}
	to := fmt.Sprintf("%s, templates %s", f.version, short(f.revisions.current().digest))
	if len(plan.Writes()) == 0 {
		fmt.Fprintf(f.io.ErrOut, "%s is up to date (twelve %s)\n", s.label, to)
		printChanges(f.io.ErrOut, plan) // what stays as the user left it
		return nil
	}
	if opts.DryRun || opts.Check {
		fmt.Fprintf(f.io.Out, "twelve update %s: from twelve %s to %s\n", s.label, from, to)
		printChanges(f.io.Out, plan)
		if opts.Check { // a CI gate: the plan, not thousands of diff lines
			return fmt.Errorf("an update is available: %s; twelve update --dry-run shows the diff", summary(plan))
		}
		printDiffs(f.io.Out, plan)
		fmt.Fprintf(f.io.ErrOut, "would update: %s; nothing written (--dry-run)\n", summary(plan))
		s.warnDangling(f, plan, s.m.Module, target.Module)
		return nil
	}
	if conflicts := conflictLines(plan); len(conflicts) > 0 && !plan.Markers {
		printChanges(f.io.ErrOut, plan)
		return fmt.Errorf("your changes and twelve's overlap at %s, so nothing was written (--conflict=stop): run without it to get conflict markers there, or --dry-run to see them", strings.Join(conflicts, ", "))
	}
	oldModule := s.m.Module // apply records the new one
	if err := s.apply(ctx, f, plan); err != nil {
		if errors.As(err, new(*conflictsError)) { // written, with markers: what else to fix is said too
			s.warnDangling(f, plan, oldModule, target.Module)
		}
		return err
	}
	if from == to { // --restore or --set, on a service already up to date
		fmt.Fprintf(f.io.ErrOut, "updated %s (twelve %s): %s\n", s.label, to, summary(plan))
	} else {
		fmt.Fprintf(f.io.ErrOut, "updated %s from twelve %s to %s: %s\n", s.label, from, to, summary(plan))
	}
	s.warnDangling(f, plan, oldModule, target.Module)
	fmt.Fprintln(f.io.ErrOut, s.nextStep(f, plan, ""))
	return nil
}

// setAnswers changes answers by --set KEY=VALUE, each read and checked as
// twelve new reads and checks its flag: an empty VALUE is the default.
func setAnswers(c *render.Catalog, a render.Answers, sets []string) (render.Answers, error) {
	if len(sets) == 0 {
		return a, nil
	}
	keys := answers.Keys(true)
	for _, kv := range sets {
		key, value, ok := strings.Cut(kv, "=")
		if !ok {
			return a, usagef("--set %s: KEY=VALUE, with KEY one of %s", show(kv), strings.Join(keys, ", "))
		}
		field := answers.Lookup(key)
		if field == nil || !field.Settable {
			return a, usagef("--set %s: unknown answer %s: %s (components: twelve add, twelve remove)", show(kv), strconv.Quote(key), orList(keys))
		}
		if err := field.Parse(&a, value); err != nil {
			return a, usagef("--set %s: %v", key, err)
		}
	}
	a = a.WithDefaults()
	if err := a.Validate(c.Names()); err != nil {
		var e *answers.Error
		errors.As(err, &e)
		return a, usagef("--set %s: %v", e.Key, err)
	}
	if strconv.Itoa(a.Port) == c.Default("PORT") {
		a.Port = 0 // recorded only when it is not the default, as by twelve new
	}
	return a, nil
}

// runAbort puts back what the last update that wrote conflicts changed.
func runAbort(ctx context.Context, f *factory, dir string) error {
	if err := checkDir(f, dir); err != nil {
		return err
	}
	found, ok, err := project.Find(f.io.path(dir))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no %s in %s or above: run this inside a service that twelve new made", project.ManifestFile, f.io.rel(dir))
	}
	s := &service{dir: found}
	if s.root, err = os.OpenRoot(found); err != nil {
		return err
	}
	defer s.Close()
	if s.lock, err = project.Acquire(s.root); err != nil {
		return err
	}
	data, err := project.ReadRegularIn(s.root, undoFile, maxUndo)
	if project.IsNotRegular(err) {
		return fmt.Errorf("%v: move it away and run twelve again", err)
	}
	if err != nil {
		if m, merr := project.ReadManifest(found); merr == nil && len(m.Conflicts) > 0 {
			return fmt.Errorf("the update that wrote conflicts into %s cannot be undone here: what --abort needs stays in .twelve/, which is never committed; resolve the markers, or put the files back from version control (git checkout)", strings.Join(m.Conflicts, ", "))
		}
		return fmt.Errorf("nothing to abort: no update with conflicts is unresolved in %s", f.io.rel(found))
	}
	var u undo
	if err := json.Unmarshal(data, &u); err != nil {
		return fmt.Errorf("%s: %v: it cannot be used; restore the files from version control", undoFile, err)
	}
	m, err := project.ReadManifest(found)
	if err != nil {
		return err
	}
	var plan project.Plan
	var changed []string
	for p, old := range u.Files {
		now, err := project.ReadRegularIn(s.root, p, project.MaxFileSize)
		if err != nil {
			now = nil
		}
		if wrote, ok := u.Wrote[p]; ok && !slices.Contains(m.Conflicts, p) && p != project.ManifestFile {
			if (now == nil && wrote != "") || (now != nil && project.Hash(now) != wrote) {
				changed = append(changed, p)
			}
		}
		c := project.Change{Path: p, Old: now, New: old, Mode: 0o644, Action: project.Update}
		switch {
		case old == nil && now == nil:
			continue
		case old == nil:
			c.Action, c.New = project.Delete, nil
		case now == nil:
			c.Action = project.Create
		}
		if info, err := s.root.Stat(p); err == nil {
			c.Mode = info.Mode().Perm()
		}
		plan.Changes = append(plan.Changes, c)
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		return fmt.Errorf("changed since the update: %s; --abort would lose that: copy your changes away (or undo them) and run it again", strings.Join(changed, ", "))
	}
	plan.Changes = append(plan.Changes, project.Change{Path: undoFile, Action: project.Delete, Old: data})
	if err := project.Apply(ctx, s.root, plan); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "aborted: %s back as they were before the update\n", plural(len(plan.Changes)-1, "file"))
	return nil
}

// settable are the keys update --set takes, each followed by suffix.
func settable(suffix string) []string {
	var out []string
	for _, k := range answers.Keys(true) {
		out = append(out, k+suffix)
	}
	return out
}
