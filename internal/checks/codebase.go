package checks

import (
	"path"
	"strings"
)

// Factor I, codebase: one codebase tracked in revision control, one app.

const ruleCodebase = factorCodebase + "-codebase"

var codebase = Rule{
	ID:      ruleCodebase,
	Factor:  factorCodebase,
	Title:   "the codebase is tracked in revision control",
	NA:      "the directory is empty",
	Applies: func(r *Repo) bool { return len(r.Files) > 0 },
	Check: func(r *Repo) []Finding {
		out := r.severalApps()
		if r.HasGit || r.inVCS {
			return out
		}
		// Anchored at a file, as code scanning wants every result to be.
		at := r.Files[0]
		for _, name := range r.Files {
			if strings.HasPrefix(strings.ToLower(name), "readme") {
				at = name
				break
			}
		}
		return append([]Finding{finding(ruleCodebase, Warn, at, 0, "the directory is not in a git repository, so no deploy can tell which commit it runs: track it with git init, git add and git commit")}, out...)
	},
}

// severalApps returns a note when the repository holds several apps, each
// deployed on its own: Go programs in different folders that each serve,
// or Procfiles in different folders. One codebase is one app; the others
// are apps of their own, or libraries they share.
func (r *Repo) severalApps() []Finding {
	type app struct {
		dir, file string
		line      int
	}
	var apps []app
	seen := map[string]bool{}
	mainDirs := map[string]bool{}
	for _, g := range r.mains() {
		mainDirs[path.Dir(g.Name)] = true
	}
	for _, h := range r.goFiles() {
		if dir := path.Dir(h.Name); mainDirs[dir] && len(h.Listens) > 0 && !seen[dir] {
			seen[dir] = true
			apps = append(apps, app{dir, h.Name, h.Listens[0].Line})
		}
	}
	if len(apps) < 2 {
		apps = apps[:0]
		for _, p := range r.procfiles() {
			if !isExamplePath(p) {
				apps = append(apps, app{path.Dir(p), p, 1})
			}
		}
	}
	if len(apps) < 2 {
		return nil
	}
	var dirs []string
	for _, a := range apps {
		dirs = append(dirs, a.dir)
	}
	last := apps[len(apps)-1]
	return []Finding{finding(ruleCodebase, Warn, last.file, last.line, "the repository holds %d apps (%s), each deployed on its own from one codebase: give each app its own repository, and share their common code as a library", len(apps), strings.Join(dirs, ", "))}
}
