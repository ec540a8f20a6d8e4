package checks

import (
	"encoding/json"
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
// Procfiles in different folders, images of different servers built from
// Dockerfiles of their own, or deployment manifests that run images named
// after different Go programs of the repository. One codebase is one app;
// the others are apps of their own, or libraries they share. A program
// that is only built (a CLI beside the server) is no app of its own.
func (r *Repo) severalApps() []Finding {
	type app struct {
		dir, file string
		line      int
	}
	var apps []app
	seen := map[string]bool{}
	mainDirs := map[string]bool{}
	for _, g := range r.mains() {
		if !g.Ignored && !isBenchPath(g.Name) {
			mainDirs[path.Dir(g.Name)] = true
		}
	}
	for _, h := range r.goFiles() {
		if dir := path.Dir(h.Name); mainDirs[dir] && h.Package == "main" && !h.Ignored && len(h.Listens) > 0 && !seen[dir] {
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
		apps = apps[:0]
		for _, im := range r.serverImages() {
			apps = append(apps, app{im.Program, im.File, im.Line})
		}
	}
	if len(apps) < 2 {
		apps = apps[:0]
		for _, im := range r.deployedMains() {
			apps = append(apps, app{im.Program, im.File, im.Line})
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

// isBenchPath reports whether a file is in a folder of benchmarks, whose
// servers are harnesses that measure the app, never deployed.
func isBenchPath(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		switch strings.ToLower(path.Base(dir)) {
		case "bench", "benchmark", "benchmarks":
			return true
		}
	}
	return false
}

// deployedProgram is a program of the repository that an image or a
// deployment runs, and where.
type deployedProgram struct {
	Program string
	File    string
	Line    int
}

// launchers are commands that start another program, which an image's
// command names after them (dlv exec /bin/app, tini -- app): the program
// they start is not theirs.
var launchers = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "env": true, "exec": true,
	"dlv": true, "tini": true, "dumb-init": true, "su-exec": true, "gosu": true,
	"node": true, "npm": true, "npx": true, "yarn": true, "pnpm": true,
	"python": true, "python3": true, "java": true,
	"entrypoint.sh": true, "docker-entrypoint.sh": true,
}

// serverImages returns the servers that the Dockerfiles of the repository
// release, one per program: the program a stage's ENTRYPOINT (else CMD)
// runs, in a stage that EXPOSEs a port. Stages of one Dockerfile (release
// and debug, one per platform) are one image; two Dockerfiles that run the
// same program (an Alpine and a distroless image) are one server. Tooling
// images (development containers, package builders) release no server.
func (r *Repo) serverImages() []deployedProgram {
	var out []deployedProgram
	seen := map[string]bool{}
	for _, d := range r.dockerfiles() {
		if isToolingImage(d.Name) {
			continue
		}
		var mine []deployedProgram
		clash := false
		for i := range d.Stages {
			if _, ok := last(d.Stages, i, "EXPOSE"); !ok {
				continue
			}
			in, ok := last(d.Stages, i, "ENTRYPOINT")
			if !ok {
				in, ok = last(d.Stages, i, "CMD")
			}
			if !ok {
				continue
			}
			prog := imageProgram(in.Args)
			if prog == "" {
				continue
			}
			if seen[prog] {
				clash = true
			}
			mine = append(mine, deployedProgram{prog, d.Name, in.Line})
		}
		if clash || len(mine) == 0 {
			continue // the image of a server counted already
		}
		for _, p := range mine {
			seen[p.Program] = true
		}
		out = append(out, mine[0])
	}
	return out
}

// imageProgram returns the base name of the program that an ENTRYPOINT or
// CMD runs, without the platform suffix of a cross-built binary
// (collector-linux), or "" when it runs a launcher or a shell.
func imageProgram(args string) string {
	var words []string
	if isExecForm(args) {
		_ = json.Unmarshal([]byte(args), &words)
	} else {
		words = strings.Fields(args)
	}
	if len(words) == 0 {
		return ""
	}
	prog := path.Base(words[0])
	if launchers[prog] || strings.Contains(prog, "$") {
		return ""
	}
	for _, s := range []string{".exe", "-linux", "-amd64", "-arm64"} {
		prog = strings.TrimSuffix(prog, s)
	}
	return prog
}

// deployImage matches an image named in a deployment manifest: image: in
// Kubernetes and Compose YAML, image = in Terraform.
var deployImage = lazyRegexp(`^\s*-?\s*"?image"?\s*[:=]\s*["']?([^"'\s]+)`)

// deployedMains returns the Go programs of the repository that deployment
// manifests (Kubernetes, Compose, Terraform) run as services of their own:
// an image whose last name is that of a program's folder
// (gcr.io/p/app/api:1 runs cmd/api). A program at the root names no image.
func (r *Repo) deployedMains() []deployedProgram {
	progs := map[string]bool{}
	for _, g := range r.mains() {
		if dir := path.Dir(g.Name); dir != "." && !g.Ignored {
			progs[path.Base(dir)] = true
		}
	}
	if len(progs) < 2 {
		return nil
	}
	var out []deployedProgram
	seen := map[string]bool{}
	for _, name := range r.filesOf(isDeployManifest) {
		for i, l := range r.lines(name) {
			m := deployImage().FindStringSubmatch(l)
			if m == nil {
				continue
			}
			ref, _, _ := strings.Cut(m[1], "@")
			if j := strings.LastIndex(ref, ":"); j > strings.LastIndex(ref, "/") {
				ref = ref[:j]
			}
			prog := path.Base(ref)
			if progs[prog] && !seen[prog] {
				seen[prog] = true
				out = append(out, deployedProgram{prog, name, i + 1})
			}
		}
	}
	return out
}

// isDeployManifest reports whether a file may deploy services: YAML or
// Terraform outside examples and tests.
func isDeployManifest(name string) bool {
	if isExamplePath(name) || isExample(name) {
		return false
	}
	switch path.Ext(name) {
	case ".yaml", ".yml", ".tf":
		return true
	}
	return false
}
