package project

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// mergeGoMod adds fresh's requirements to the user's go.mod, raising a
// version only when fresh needs a higher one, the way minimal version
// selection would; the user's own requirements, replaces and comments stay.
func mergeGoMod(mine, fresh []byte) ([]byte, error) {
	f, err := modfile.Parse("go.mod", mine, nil)
	if err != nil {
		return nil, err
	}
	fr, err := modfile.Parse("go.mod", fresh, nil)
	if err != nil {
		return nil, fmt.Errorf("rendered go.mod: %w", err)
	}
	if fr.Go != nil && (f.Go == nil || gover(f.Go.Version) < gover(fr.Go.Version)) {
		if err := f.AddGoStmt(fr.Go.Version); err != nil {
			return nil, err
		}
	}
	reqs := slices.Clone(f.Require)
	for _, r := range fr.Require {
		i := slices.IndexFunc(reqs, func(x *modfile.Require) bool { return x.Mod.Path == r.Mod.Path })
		switch {
		case i < 0:
			reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
		case semver.Compare(reqs[i].Mod.Version, r.Mod.Version) < 0:
			reqs[i] = &modfile.Require{Mod: r.Mod, Indirect: reqs[i].Indirect && r.Indirect}
		case reqs[i].Indirect && !r.Indirect:
			reqs[i] = &modfile.Require{Mod: reqs[i].Mod}
		}
	}
	f.SetRequireSeparateIndirect(reqs)
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

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
