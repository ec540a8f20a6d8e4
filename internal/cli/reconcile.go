package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/quote"
	"github.com/twelvefactor/twelve/internal/render"
)

// service is a service that twelve made, opened by a command that changes
// it: add, update and remove are one operation on it, reconcile, that
// differ only in the answers they render it with.
type service struct {
	dir   string
	label string // for messages: name (dir)
	root  *os.Root
	lock  *project.Lock
	m     project.Manifest
}

// acquireLock takes a service's lock: project.Acquire, but in tests.
var acquireLock = project.Acquire

// openService finds the service that contains dir and reads its manifest.
// It refuses while conflict markers that an earlier command wrote remain.
// A command that only plans (readOnly: --check, --dry-run) goes on without
// the lock where the service cannot be written to, such as a checkout
// that only root may change.
func openService(f *factory, dir string, readOnly bool) (*service, error) {
	if err := checkDir(f, dir); err != nil {
		return nil, err
	}
	found, ok, err := project.Find(f.io.path(dir))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("no %s in %s or above: run this inside a service that twelve new made", project.ManifestFile, f.io.rel(dir))
	}
	root, err := os.OpenRoot(found)
	if err != nil {
		return nil, err
	}
	s := &service{dir: found, root: root}
	// One twelve at a time: the manifest is read under the lock, so that
	// what this command plans on is what the last one wrote.
	if s.lock, err = acquireLock(root); err != nil {
		if !readOnly || !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.EROFS) {
			root.Close()
			return nil, err
		}
		s.lock = nil // planning only: nothing written, so nothing to lock
	}
	if s.m, err = project.ReadManifest(found); err != nil {
		s.Close()
		return nil, err
	}
	// A twelve that died while writing left a journal: finish its change.
	if n, err := project.Recover(root, s.m); err != nil {
		s.Close()
		return nil, err
	} else if n > 0 {
		fmt.Fprintf(f.io.ErrOut, "finished the change of an interrupted twelve (%s)\n", plural(n, "file"))
		if s.m, err = project.ReadManifest(found); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.label = fmt.Sprintf("%s (%s)", s.m.Name, quote.Arg(f.io.rel(found)))
	if err := s.checkMarkers(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkDir refuses a --dir that is no directory, naming it as given.
func checkDir(f *factory, dir string) error {
	fi, err := os.Stat(f.io.path(dir))
	if err != nil {
		return usagef("cannot use --dir %s: %v", quote.Arg(dir), unwrapPath(err))
	}
	if !fi.IsDir() {
		return usagef("--dir %s is not a directory: give the service's directory", quote.Arg(dir))
	}
	return nil
}

// Close lets the service's lock go.
func (s *service) Close() error {
	s.lock.Unlock()
	return s.root.Close()
}

// checkMarkers fails while a file that the last command wrote conflicts
// into still holds a conflict marker.
func (s *service) checkMarkers() error {
	var left []string
	for _, p := range s.m.Conflicts {
		data, err := project.ReadRegularIn(s.root, p, project.MaxFileSize)
		if err != nil {
			continue // gone: resolved by deleting it
		}
		for _, n := range markerLines(data) {
			left = append(left, fmt.Sprintf("%s:%d", quote.Arg(p), n))
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("conflict markers remain at %s: resolve them (keep what you want between <<<<<<< and >>>>>>>, delete the markers), or undo the update with twelve update --abort", strings.Join(left, ", "))
	}
	return nil
}

// markerLines returns the line numbers of the conflict markers that
// twelve writes: where each conflict starts, or, when none starts but a
// marker is left (half resolved), of every marker.
func markerLines(data []byte) []int {
	var all, first []int
	for i, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSuffix(l, []byte("\r"))
		for _, m := range []string{"<<<<<<< " + project.Labels.Ours, "||||||| " + project.Labels.Base, ">>>>>>> " + project.Labels.Theirs} {
			if string(l) == m {
				all = append(all, i+1)
				if m[0] == '<' {
					first = append(first, i+1)
				}
			}
		}
	}
	if len(first) > 0 {
		return first
	}
	return all
}

// base renders the service as twelve last rendered it. A manifest that
// names its template revision gives it exactly; an older manifest, which
// recorded only what twelve wrote, is matched against every revision
// twelve has, file by file. Files that cannot be rendered as they were are
// left out of the base: they are merged two ways, their differences shown
// as conflicts.
func (s *service) base(f *factory) ([]render.File, error) {
	if s.m.Templates != "" {
		rev, ok, err := f.revisions.find(s.m.Templates)
		if err != nil {
			return nil, err
		}
		if !ok {
			// A development build's templates, which no release has, are
			// unknown too: the advice is the same, a twelve that has them.
			return nil, &project.NewerError{What: "its templates " + short(s.m.Templates) + " are not among those this twelve knows: newer ones, or a development build's that no release has"}
		}
		files, err := renderWith(rev, s.m.Answers())
		if err != nil {
			return nil, fmt.Errorf("rendering the templates the service was made with: %w", err)
		}
		return slices.DeleteFunc(files, func(file render.File) bool {
			return s.m.Files[file.Path] != project.Hash(file.Data)
		}), nil
	}
	return s.legacyBase(f)
}

// legacyBase finds the base of a service whose manifest records no
// template revision: for each file, the newest revision's rendering whose
// hash is the one the manifest records; for files no revision matches
// (twelve merged them: go.mod, go.sum, files owned in regions), the
// rendering of the revision that matched the most files.
func (s *service) legacyBase(f *factory) ([]render.File, error) {
	revs, err := f.revisions.all()
	if err != nil {
		return nil, err
	}
	var best []render.File
	bestScore := 0
	chosen := map[string]render.File{}
	for i := len(revs) - 1; i >= 0; i-- {
		files, err := renderWith(revs[i], s.m.Answers())
		if err != nil {
			continue // a revision without one of its components
		}
		score := 0
		for _, file := range files {
			if s.m.Files[file.Path] == project.Hash(file.Data) {
				score++
				if _, ok := chosen[file.Path]; !ok {
					chosen[file.Path] = file
				}
			}
		}
		if score > bestScore {
			best, bestScore = files, score
		}
	}
	var out []render.File
	for _, file := range best {
		if _, wrote := s.m.Files[file.Path]; !wrote {
			continue // a file of that revision twelve did not write here
		}
		if c, ok := chosen[file.Path]; ok {
			out = append(out, c)
		} else {
			out = append(out, file)
		}
		delete(chosen, file.Path)
	}
	for _, c := range chosen {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b render.File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// renderWith renders a revision's templates with answers.
func renderWith(rev revision, a render.Answers) ([]render.File, error) {
	c, err := rev.load()
	if err != nil {
		return nil, err
	}
	a.Components, err = c.Resolve(a.Components)
	if err != nil {
		return nil, err
	}
	return c.Render(a)
}

// short is a digest cut for people.
func short(digest string) string {
	d := strings.TrimPrefix(digest, "sha256:")
	return d[:min(len(d), 12)]
}

// reconcileOptions are what add, update and remove ask of the engine.
type reconcileOptions struct {
	target  render.Answers // the answers to render today's templates with
	restore []string       // deleted files to bring back
	force   bool           // overwrite conflicts, keeping the user's as FILE.orig
	markers bool           // write conflicts as markers (else nothing is written)
}

// plan plans bringing the service to today's templates with the target
// answers, and the bookkeeping that goes with it: the manifest, and when
// conflicts are written, what update --abort needs to put back.
func (s *service) plan(f *factory, opts reconcileOptions) (project.Plan, error) {
	base, err := s.base(f)
	if err != nil {
		return project.Plan{}, err
	}
	cur := f.revisions.current()
	target, err := renderWith(cur, opts.target)
	if err != nil {
		return project.Plan{}, err
	}
	catalog, err := cur.load()
	if err != nil {
		return project.Plan{}, err
	}
	next := project.NewManifest(f.version, cur.digest, opts.target, nil)
	for _, p := range opts.restore {
		if !slices.ContainsFunc(target, func(file render.File) bool { return file.Path == p }) {
			return project.Plan{}, usagef("--restore %s: twelve does not write that file in this service (its files are in %s)", show(p), project.ManifestFile)
		}
	}
	r := project.Reconcile{
		Base:     base,
		Target:   target,
		Next:     next,
		UserData: catalog.UserData,
		Restore:  opts.restore,
		Force:    opts.force,
	}
	plan, err := r.Plan(s.root)
	if err != nil {
		return plan, err
	}
	plan.Markers = opts.markers
	if err := s.planUndo(&plan); err != nil {
		return plan, err
	}
	return plan, nil
}

// undoFile keeps, while conflicts that a command wrote are unresolved,
// what was there before it, for update --abort.
const undoFile = ".twelve/undo.json"

// maxUndo bounds what twelve reads of undoFile: the old content of every
// file twelve writes, at most project.MaxFileSize each.
const maxUndo = 64 << 20

// undo is undoFile's content: every file the command changed as it was
// before, nil for one that did not exist.
type undo struct {
	Files map[string][]byte `json:"files"`
	// Wrote is the hash of what the command wrote to each file, "" for
	// one it deleted: abort refuses to undo a file changed since, other
	// than the conflicted ones, which the user is expected to edit.
	Wrote map[string]string `json:"wrote"`
}

// planUndo adds to a plan that writes conflict markers what update --abort
// needs, and drops an undo file left by conflicts now resolved.
func (s *service) planUndo(plan *project.Plan) error {
	old, err := project.ReadRegularIn(s.root, undoFile, maxUndo)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", undoFile, err)
	}
	if len(plan.Conflicts()) == 0 || !plan.Markers {
		if old != nil && len(plan.Writes()) > 0 {
			plan.Changes = append(plan.Changes, project.Change{Path: undoFile, Action: project.Delete, Old: old, Note: "the conflicts it could undo are resolved"})
		}
		return nil
	}
	u := undo{Files: map[string][]byte{}, Wrote: map[string]string{}}
	for _, c := range plan.Changes {
		if c.Action == project.Create || c.Action == project.Update || c.Action == project.Conflict || c.Action == project.Delete {
			u.Files[c.Path] = c.Old
			u.Wrote[c.Path] = ""
			if c.New != nil && c.Action != project.Delete {
				u.Wrote[c.Path] = project.Hash(c.New)
			}
		}
	}
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	action := project.Create
	if old != nil {
		action = project.Update
	}
	plan.Changes = append(plan.Changes, project.Change{Path: undoFile, Action: action, Mode: 0o644, Old: old, New: data})
	return nil
}

// printChanges lists what a plan does that a user should know about.
func printChanges(w io.Writer, plan project.Plan) {
	for _, c := range plan.Changes {
		switch {
		case c.Action == project.Unchanged, c.Action == project.Keep && c.Note == "yours":
			continue
		case internalFile(c.Path):
			continue
		}
		line := fmt.Sprintf("  %-9s %s", c.Action, quote.Arg(c.Path))
		if c.Note != "" {
			line += "  (" + c.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// conflictLines names every conflict of a plan as FILE:LINE.
// A file that twelve generates whole (its first line says DO NOT EDIT) is
// named with where the user's change belongs instead.
func conflictLines(plan project.Plan) []string {
	var out []string
	for _, c := range plan.Conflicts() {
		if len(c.Lines) == 0 {
			out = append(out, quote.Arg(c.Path))
		}
		for _, line := range c.Lines {
			out = append(out, fmt.Sprintf("%s:%d", quote.Arg(c.Path), line))
		}
		if render.Generated(c.Old) {
			out[len(out)-1] += " (" + yoursGoElsewhere(c.Path) + ")"
		}
	}
	return out
}

// yoursGoElsewhere says where a user's change to a file that twelve
// generates belongs, so that it never meets twelve's changes again.
func yoursGoElsewhere(p string) string {
	switch {
	case strings.HasSuffix(p, ".go"):
		return "twelve generates it: put your code in another file of its package"
	case p == "compose.yaml":
		return "twelve generates it: put your changes in compose.override.yaml"
	case strings.HasPrefix(p, "deploy/k8s/"):
		return "twelve generates it: put your changes in patches in deploy/k8s/kustomization.yaml"
	case strings.HasPrefix(p, "deploy/systemd/"):
		return "twelve generates it: put your changes in a drop-in, with systemctl edit"
	case strings.HasPrefix(p, ".github/workflows/"):
		return "twelve generates it: put your jobs in another file of .github/workflows/"
	}
	return "twelve generates it: its first lines say where your changes go"
}

// summary counts a plan's changes for the closing line of a command.
func summary(plan project.Plan) string {
	counts := map[string]int{}
	for _, c := range plan.Changes {
		if internalFile(c.Path) {
			continue
		}
		switch {
		case c.Action == project.Update && strings.HasPrefix(c.Note, "merged"):
			counts["merged"]++
		case c.Action == project.Update || c.Action == project.Create:
			counts["updated"]++
		case c.Action == project.Conflict:
			counts["conflicted"]++
		case c.Action == project.Delete:
			counts["deleted"]++
		case c.Action == project.Keep && c.Note != "yours":
			counts["kept"]++
		}
	}
	var parts []string
	for _, k := range []string{"updated", "merged", "conflicted", "deleted", "kept"} {
		if counts[k] > 0 {
			parts = append(parts, plural(counts[k], "file")+" "+k)
		}
	}
	if len(parts) == 0 {
		return "no file changed"
	}
	return strings.Join(parts, ", ")
}

// apply writes a plan, then reports what it did; conflicts written as
// markers make it return a *conflictsError.
func (s *service) apply(ctx context.Context, f *factory, plan project.Plan) error {
	if err := project.Apply(ctx, s.root, plan); err != nil {
		return err
	}
	printChanges(f.io.ErrOut, plan)
	if conflicts := conflictLines(plan); len(conflicts) > 0 && plan.Markers {
		return &conflictsError{where: conflicts}
	}
	return nil
}

// conflictsError says that conflict markers were written. It exits
// exitConflicts.
type conflictsError struct{ where []string }

func (e *conflictsError) Error() string {
	return fmt.Sprintf("conflicts written at %s: resolve them (keep what you want between <<<<<<< and >>>>>>>, delete the markers); twelve update --abort puts everything back as it was", strings.Join(e.where, ", "))
}

// internalFile reports whether a path is twelve's bookkeeping, which
// plans do not show: the manifest and .twelve/.
func internalFile(p string) bool {
	return p == project.ManifestFile || strings.HasPrefix(p, ".twelve/")
}

// danglingImports names the Go files, once a plan is applied (or as they
// would be, under --dry-run, skipping what it deletes), that import
// what it took away: a package whose Go files it deleted, or, when the
// module path changed, any package under the old one; and the user's Go
// files left in a folder that twelve moved, such as cmd/OLD after update
// --set name=NEW. A file twelve writes is named too: what it imports that
// twelve's version does not is the user's. twelve does not rewrite the
// user's code; it says where the build will fail.
func (s *service) danglingImports(plan project.Plan, oldModule, newModule string) []string {
	gone := map[string]bool{}    // import paths of packages the plan deletes
	moved := map[string]string{} // folders twelve moved its files out of, to where
	deleted := map[string]bool{} // still there before the plan is applied (--dry-run)
	for _, c := range plan.Changes {
		if c.Action == project.Delete {
			deleted[c.Path] = true
			if path.Ext(c.Path) == ".go" {
				gone[path.Join(oldModule, path.Dir(c.Path))] = true
			}
		}
		if c.From != "" && path.Dir(c.From) != path.Dir(c.Path) {
			moved[path.Dir(c.From)] = path.Dir(c.Path)
		}
	}
	twelves := map[string]bool{}
	for p := range plan.Manifest.Files {
		twelves[p] = true
	}
	var out []string
	fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if deleted[p] {
			return nil
		}
		// Whatever of the user's is in a folder twelve moved its files out
		// of, such as cmd/OLD/static for a go:embed, belongs where they went.
		if to, ok := moved[path.Dir(p)]; ok && !twelves[p] {
			out = append(out, fmt.Sprintf("%s stays in %s, whose files twelve moved to %s: move it there too", quote.Arg(p), path.Dir(p), to))
			if d.IsDir() {
				return fs.SkipDir
			}
		}
		if d.IsDir() {
			if p != "." && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if path.Ext(p) != ".go" || !d.Type().IsRegular() {
			return nil
		}
		data, err := project.ReadRegularIn(s.root, p, project.MaxFileSize)
		if err != nil {
			return nil
		}
		for imp := range gone {
			if bytes.Contains(data, []byte(`"`+imp+`"`)) {
				out = append(out, fmt.Sprintf("%s imports %s, which is gone", quote.Arg(p), imp))
			}
		}
		// twelve's own files have the new path (and may quote the old one
		// as a word, such as the command's name in a test).
		if oldModule != newModule && !twelves[p] && (bytes.Contains(data, []byte(`"`+oldModule+`/`)) || bytes.Contains(data, []byte(`"`+oldModule+`"`))) {
			out = append(out, fmt.Sprintf("%s imports %s, the old module path: change it to %s", quote.Arg(p), oldModule, newModule))
		}
		return nil
	})
	return out
}

// warnDangling prints danglingImports' findings.
func (s *service) warnDangling(f *factory, plan project.Plan, oldModule, newModule string) {
	for _, w := range s.danglingImports(plan, oldModule, newModule) {
		fmt.Fprintf(f.io.ErrOut, "warning: your %s (twelve does not change your code)\n", w)
	}
}

// knownComponents checks the components named as arguments, comma-separated
// or not, against the catalog.
func knownComponents(f *factory, args []string) error {
	for _, a := range splitNames(args) {
		if f.catalog.Component(a) == nil {
			return usagef("unknown component %s (known: %s)", show(a), strings.Join(f.catalog.Names(), ", "))
		}
	}
	return nil
}

// printDiffs prints a unified diff of every file a plan changes.
func printDiffs(w io.Writer, plan project.Plan) {
	for _, c := range plan.Changes {
		switch c.Action {
		case project.Create, project.Update, project.Conflict, project.Delete:
			if !internalFile(c.Path) {
				fmt.Fprint(w, diff(c))
			}
		}
	}
}

// nextStep is what a user should run after a plan is written: go mod tidy
// first when the go.mod merge could not know all the user's code needs;
// then, when runEnv is not "", make run with the variables that the
// service needs and has no default for, such as DATABASE_URL (see
// render.Data.RunEnv). It starts with a cd to the service when the user
// is elsewhere (in a folder of it, or outside with --dir).
func (s *service) nextStep(f *factory, plan project.Plan, runEnv string) string {
	step := "next: "
	if rel := f.io.rel(s.dir); rel != "." {
		step += "cd " + quote.Arg(rel) + " && "
	}
	if slices.ContainsFunc(plan.Changes, func(c project.Change) bool { return c.Tidy }) {
		step += "go mod tidy && "
	}
	step += "go build ./... && make test"
	if runEnv != "" {
		step += "\nthen: " + runEnv + "make run"
	}
	return step
}
