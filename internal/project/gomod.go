package project

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// gover makes go versions such as 1.25 and 1.25.0 comparable as semver.
func gover(v string) string {
	if strings.Count(v, ".") == 1 {
		v += ".0"
	}
	return "v" + v
}

// mergeGoSum returns the union of two go.sum files, in go's order.
func mergeGoSum(mine, fresh []byte) ([]byte, error) {
	type line struct {
		mod  module.Version
		text string
	}
	seen := map[string]bool{}
	var lines []line
	for _, data := range [][]byte{mine, fresh} {
		for i, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) == "" || seen[l] {
				continue
			}
			fields := strings.Fields(l)
			if len(fields) != 3 {
				return nil, fmt.Errorf("go.sum line %d is not \"module version hash\": %q", i+1, l)
			}
			seen[l] = true
			lines = append(lines, line{module.Version{Path: fields[0], Version: fields[1]}, l})
		}
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if c := strings.Compare(a.mod.Path, b.mod.Path); c != 0 {
			return c
		}
		av, bv := strings.TrimSuffix(a.mod.Version, "/go.mod"), strings.TrimSuffix(b.mod.Version, "/go.mod")
		if c := semver.Compare(av, bv); c != 0 {
			return c
		}
		return strings.Compare(a.mod.Version, b.mod.Version) // the /go.mod line last
	})
	var out bytes.Buffer
	for _, l := range lines {
		out.WriteString(l.text + "\n")
	}
	return out.Bytes(), nil
}

// planModule plans go.mod or go.sum, which are merged as what they are
// rather than as text: go.mod through modfile (the user's requirements
// kept, twelve's raised and never lowered, those twelve no longer needs
// dropped unless a Go file still imports them), go.sum as a set of lines.
// go.mod is planned after every Go file, and go.sum right after it.
func (r Reconcile) planModule(root *os.Root, plan Plan, p string, b, t, old []byte) (Change, error) {
	c := Change{Path: p, Old: old, Mode: 0o644}
	switch {
	case old == nil && t == nil:
		c.Action = Unchanged
		return c, nil
	case old == nil && b != nil && !slices.Contains(r.Restore, p):
		c.Action, c.Note = Keep, "you deleted it: twelve update --restore "+p+" brings it back"
		return c, nil
	case old == nil:
		c.Action, c.New = Create, t
		return c, nil
	case bytes.Equal(old, t):
		c.Action = Unchanged
		return c, nil
	}
	// What the Go files import, after the plan: a requirement twelve drops
	// stays while one still imports it.
	var imported func(path string) bool
	if p == "go.mod" {
		var err error
		if imported, err = goImports(root, plan); err != nil {
			return c, err
		}
	}
	// An untouched go.mod becomes twelve's, unless that drops a module a
	// Go file still imports: then it is merged, which keeps it, and go.sum
	// with it.
	mod := plan.change("go.mod")
	keep := p == "go.mod" && t != nil && dropsImported(b, t, imported) || p == "go.sum" && mod != nil && mod.Tidy
	if b != nil && bytes.Equal(old, b) && !keep {
		c.Action, c.New = Update, t
		if t == nil {
			c.Action, c.New, c.Note = Delete, nil, "twelve no longer writes it"
		}
		return c, nil
	}
	var err error
	if p == "go.mod" {
		c.New, c.Tidy, err = mergeGoMod3(b, old, t, imported)
	} else {
		c.New, c.Tidy, err = mergeGoSum3(b, old, t, mod != nil && mod.Tidy)
	}
	if err != nil {
		// Not a conflict to write markers for: what is there must stay
		// as it is until the user fixes it.
		first, _, _ := strings.Cut(err.Error(), "\n")
		return c, fmt.Errorf("cannot merge twelve's requirements into your %s: %s; fix %s, then run twelve again", p, first, p)
	}
	c.Action, c.Note = Update, "merged into yours"
	if bytes.Equal(c.New, old) {
		c.Action, c.Note = Unchanged, ""
	}
	if c.Tidy {
		c.Note += "; run go mod tidy: twelve cannot tell all that your own imports need"
	}
	return c, nil
}

// mergeGoMod3 applies the change from base to target, two go.mod files
// twelve rendered, to mine, the user's. A requirement that target drops is
// dropped from mine unless imported says a Go file still imports it; tidy
// is true when the result may need go mod tidy: mine requires modules that
// twelve never did, keeps one twelve dropped, or has raised one of
// twelve's.
func mergeGoMod3(base, mine, target []byte, imported func(path string) bool) (out []byte, tidy bool, err error) {
	f, err := modfile.Parse("go.mod", mine, nil)
	if err != nil {
		return nil, false, err
	}
	fb, err := modfile.Parse("go.mod", base, nil) // nil base: empty file
	if err != nil {
		return nil, false, fmt.Errorf("twelve's earlier go.mod: %w", err)
	}
	ft, err := modfile.Parse("go.mod", target, nil)
	if err != nil {
		return nil, false, fmt.Errorf("rendered go.mod: %w", err)
	}
	if ft.Module != nil && fb.Module != nil && f.Module != nil &&
		f.Module.Mod.Path == fb.Module.Mod.Path && ft.Module.Mod.Path != fb.Module.Mod.Path {
		if err := f.AddModuleStmt(ft.Module.Mod.Path); err != nil {
			return nil, false, err
		}
	}
	if ft.Go != nil && (f.Go == nil || semver.Compare(gover(f.Go.Version), gover(ft.Go.Version)) < 0) {
		if err := f.AddGoStmt(ft.Go.Version); err != nil {
			return nil, false, err
		}
	}
	inBase := requireMap(fb)
	inTarget := requireMap(ft)
	own := false // the user requires modules of their own
	for _, r := range f.Require {
		if inBase[r.Mod.Path] == nil && inTarget[r.Mod.Path] == nil {
			own = true
		}
	}
	tidy = own
	var reqs []*modfile.Require
	have := map[string]bool{}
	for _, r := range f.Require {
		have[r.Mod.Path] = true
		t, wanted := inTarget[r.Mod.Path]
		_, was := inBase[r.Mod.Path]
		switch {
		case wanted && semver.Compare(r.Mod.Version, t.Mod.Version) < 0:
			reqs = append(reqs, &modfile.Require{Mod: t.Mod, Indirect: t.Indirect})
		case wanted:
			reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect && t.Indirect})
			// The user raised it (go get -u): what it needs may be newer
			// than what twelve pins beside it.
			tidy = tidy || semver.Compare(r.Mod.Version, t.Mod.Version) > 0
		case was && !imported(r.Mod.Path) && !(r.Indirect && own):
			// twelve no longer needs it, no Go file imports it, and no
			// module of the user's may need it.
		case was:
			reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
			tidy = true
		default:
			reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect}) // the user's own
		}
	}
	for _, r := range ft.Require {
		if !have[r.Mod.Path] {
			reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
		}
	}
	f.SetRequireSeparateIndirect(reqs)
	f.Cleanup()
	return modfile.Format(f.Syntax), tidy, nil
}

// dropsImported reports whether target, a go.mod, lacks a requirement of
// base that imported says a Go file imports.
func dropsImported(base, target []byte, imported func(path string) bool) bool {
	fb, err := modfile.Parse("go.mod", base, nil)
	if err != nil {
		return false // the merge reports it
	}
	ft, err := modfile.Parse("go.mod", target, nil)
	if err != nil {
		return false
	}
	inTarget := requireMap(ft)
	for _, r := range fb.Require {
		if inTarget[r.Mod.Path] == nil && imported(r.Mod.Path) {
			return true
		}
	}
	return false
}

// requireMap indexes a go.mod's requirements by module path.
func requireMap(f *modfile.File) map[string]*modfile.Require {
	m := map[string]*modfile.Require{}
	for _, r := range f.Require {
		m[r.Mod.Path] = r
	}
	return m
}

// mergeGoSum3 applies the change from base to target, two go.sum files
// twelve rendered, to mine: the lines twelve added are added, and the lines
// it dropped are dropped, unless keep says that the user's own requirements
// may still need them (then go mod tidy decides).
func mergeGoSum3(base, mine, target []byte, keep bool) ([]byte, bool, error) {
	if keep {
		out, err := mergeGoSum(mine, target)
		return out, true, err
	}
	dropped := map[string]bool{}
	for _, l := range strings.Split(string(base), "\n") {
		dropped[l] = true
	}
	for _, l := range strings.Split(string(target), "\n") {
		delete(dropped, l)
	}
	var kept []string
	for _, l := range strings.Split(string(mine), "\n") {
		if !dropped[l] {
			kept = append(kept, l)
		}
	}
	out, err := mergeGoSum([]byte(strings.Join(kept, "\n")), target)
	return out, false, err
}

// goImports returns a test of whether any Go file of the service, as the
// plan leaves it, imports a package of a module. It looks for the quoted
// path in the text, which can only err towards keeping a requirement.
func goImports(root *os.Root, plan Plan) (func(string) bool, error) {
	var texts [][]byte
	planned := map[string]bool{}
	for _, c := range plan.Changes {
		if strings.HasSuffix(c.Path, ".go") {
			planned[c.Path] = true
			if c.Action == Delete || c.Action == Keep && c.Old == nil {
				continue
			}
			if c.New != nil {
				texts = append(texts, c.New)
			} else if c.Old != nil {
				texts = append(texts, c.Old)
			}
		}
	}
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".go") || planned[p] {
			return nil
		}
		data, err := readFile(root, p)
		if err != nil {
			return err
		}
		texts = append(texts, data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the service's Go files: %w", err)
	}
	return func(mod string) bool {
		for _, t := range texts {
			if bytes.Contains(t, []byte(`"`+mod+`"`)) || bytes.Contains(t, []byte(`"`+mod+`/`)) {
				return true
			}
		}
		return false
	}, nil
}
