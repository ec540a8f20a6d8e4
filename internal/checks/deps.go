package checks

import (
	"encoding/json"
	"path"
	"strings"

	"golang.org/x/mod/modfile"
)

// Factor II, dependencies: declared and pinned.

const ruleGoSum = factorDependencies + "-go-sum"

var goSum = Rule{
	ID:      ruleGoSum,
	Factor:  factorDependencies,
	Title:   "Go modules pin their dependencies in go.sum",
	NA:      "there is no go.mod",
	Applies: func(r *Repo) bool { return len(r.filesWhere(is("go.mod"))) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesWhere(is("go.mod")) {
			mf, err := modfile.Parse(name, r.data(name), nil)
			if err != nil {
				out = append(out, finding(ruleGoSum, Fail, name, 0, "go.mod does not parse (%v): fix it, then run go mod tidy", firstLine(err.Error())))
				continue
			}
			local := map[string]bool{} // replaced by a folder: nothing to sum
			for _, rep := range mf.Replace {
				if rep.New.Version == "" {
					local[rep.Old.Path] = true
				}
			}
			for _, req := range mf.Require {
				if !local[req.Mod.Path] && !r.has(path.Join(path.Dir(name), "go.sum")) {
					out = append(out, finding(ruleGoSum, Fail, name, req.Syntax.Start.Line, "go.mod requires modules but go.sum is missing, so their content is not pinned: run go mod tidy and commit go.sum"))
					break
				}
			}
		}
		return out
	},
}

const ruleGoLocalReplace = factorDependencies + "-go-local-replace"

var goLocalReplace = Rule{
	ID:      ruleGoLocalReplace,
	Factor:  factorDependencies,
	Title:   "Go modules are not replaced by folders outside the repository",
	NA:      "there is no go.mod",
	Applies: func(r *Repo) bool { return len(r.filesWhere(is("go.mod"))) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesWhere(is("go.mod")) {
			mf, err := modfile.Parse(name, r.data(name), nil)
			if err != nil {
				continue // II-go-sum reports it
			}
			for _, rep := range mf.Replace {
				target := path.Join(path.Dir(name), filepathToSlash(rep.New.Path))
				if rep.New.Version != "" || !strings.HasPrefix(target, "../") && target != ".." && !path.IsAbs(filepathToSlash(rep.New.Path)) {
					continue
				}
				out = append(out, finding(ruleGoLocalReplace, Fail, name, rep.Syntax.Start.Line, "%s is replaced by the folder %s, outside the repository, so no one else can build it: publish the module and require a version, or move the folder into the repository", rep.Old.Path, rep.New.Path))
			}
		}
		return out
	},
}

// filepathToSlash turns the backslashes of a Windows path in go.mod into
// slashes.
func filepathToSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// is returns a matcher of the base name base.
func is(base string) func(string) bool { return func(b string) bool { return b == base } }

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// isRequirements reports whether a file is a pip requirements file:
// requirements.txt, requirements-dev.txt, requirements/base.txt.
func isRequirements(name string) bool {
	b := path.Base(name)
	return strings.HasSuffix(b, ".txt") && (strings.HasPrefix(b, "requirements") || path.Base(path.Dir(name)) == "requirements")
}

// pythonLocks are the lock files of Python's package managers.
var pythonLocks = []string{"poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock"}

// pinned matches a requirement pinned to one version (name==1.2.3, with
// extras and markers), or to a URL or path (name @ https://...).
var pinned = lazyRegexp(`^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*(?:===?\s*[^\s,;*]+\s*(?:;.*)?$|@\s*\S)`)

const rulePythonPinned = factorDependencies + "-python-pinned"

var pythonPinned = Rule{
	ID:     rulePythonPinned,
	Factor: factorDependencies,
	Title:  "Python dependencies are pinned to exact versions or locked",
	NA:     "there is no requirements*.txt, pyproject.toml or Pipfile",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(func(b string) bool { return b == "pyproject.toml" || b == "Pipfile" })) > 0 ||
			len(r.filesOf(isRequirements)) > 0
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		locked := func(dir string) bool {
			for ; ; dir = path.Dir(dir) { // a uv or pdm workspace locks at its root
				for _, l := range pythonLocks {
					if r.has(path.Join(dir, l)) {
						return true
					}
				}
				if dir == "." {
					return false
				}
			}
		}
		for _, name := range r.filesOf(isRequirements) {
			if locked(path.Dir(name)) || !r.ofApp(name) { // a test's requirements are not the app's
				continue
			}
			for i, l := range r.lines(name) {
				l, _, _ = strings.Cut(l, " #")
				l = strings.TrimSpace(l)
				if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "-") || strings.Contains(l, "://") {
					continue // options (-r, -c, -e, --hash) and URLs
				}
				if !pinned().MatchString(l) {
					out = append(out, finding(rulePythonPinned, Fail, name, i+1, "the requirement %s is not pinned, so each install may get another version: pin it with == to the version you test (pip freeze shows it), or use a lock file", l))
				}
			}
		}
		for _, name := range r.filesWhere(is("Pipfile")) {
			if !r.has(path.Join(path.Dir(name), "Pipfile.lock")) {
				out = append(out, finding(rulePythonPinned, Fail, name, 0, "the Pipfile has no Pipfile.lock beside it, so each install may get other versions: run pipenv lock and commit Pipfile.lock"))
			}
		}
		for _, name := range r.filesWhere(is("pyproject.toml")) {
			dir := path.Dir(name)
			if locked(dir) || len(r.filesOf(func(n string) bool { return isRequirements(n) && path.Dir(n) == dir })) > 0 {
				continue
			}
			for i, l := range r.lines(name) {
				if t := strings.TrimSpace(l); strings.HasPrefix(t, "dependencies") || t == "[tool.poetry.dependencies]" {
					out = append(out, finding(rulePythonPinned, Warn, name, i+1, "pyproject.toml declares dependencies but no lock file pins them: commit the lock of your tool (poetry.lock, uv.lock, pdm.lock) or a requirements.txt with every version pinned"))
					break
				}
			}
		}
		return out
	},
}

// nodeLocks are the lock files of Node's package managers.
var nodeLocks = []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"}

const ruleNodeLockfile = factorDependencies + "-node-lockfile"

var nodeLockfile = Rule{
	ID:      ruleNodeLockfile,
	Factor:  factorDependencies,
	Title:   "Node packages lock their dependencies",
	NA:      "there is no package.json",
	Applies: func(r *Repo) bool { return len(r.filesWhere(is("package.json"))) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
	next:
		for _, name := range r.filesWhere(is("package.json")) {
			var pkg struct {
				Dependencies, DevDependencies map[string]string
			}
			if err := json.Unmarshal(r.data(name), &pkg); err != nil {
				out = append(out, finding(ruleNodeLockfile, Fail, name, 0, "package.json is not valid JSON (%v): fix it", err))
				continue
			}
			if len(pkg.Dependencies)+len(pkg.DevDependencies) == 0 {
				continue
			}
			for dir := path.Dir(name); ; dir = path.Dir(dir) { // a workspace locks at its root
				for _, l := range nodeLocks {
					if r.has(path.Join(dir, l)) {
						continue next
					}
				}
				if dir == "." {
					break
				}
			}
			line := 0
			for i, l := range r.lines(name) {
				if strings.Contains(l, `"dependencies"`) || strings.Contains(l, `"devDependencies"`) {
					line = i + 1
					break
				}
			}
			out = append(out, finding(ruleNodeLockfile, Fail, name, line, "package.json declares dependencies without a lock file, so each install may resolve other versions: run npm install (or yarn, pnpm) and commit its lock file"))
		}
		return out
	},
}

// filesOf returns the files whose path satisfies match.
func (r *Repo) filesOf(match func(name string) bool) []string {
	var out []string
	for _, f := range r.Files {
		if match(f) {
			out = append(out, f)
		}
	}
	return out
}
