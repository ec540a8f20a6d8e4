package checks

import (
	"fmt"
	"path"
	"strings"
)

// isDockerfile reports whether a file is a Dockerfile: Dockerfile,
// Dockerfile.dev, api.Dockerfile, or Podman's Containerfile. BuildKit's
// Dockerfile.dockerignore is not one.
func isDockerfile(base string) bool {
	b := strings.ToLower(base)
	if strings.HasSuffix(b, ".dockerignore") {
		return false
	}
	for _, name := range []string{"dockerfile", "containerfile"} {
		if b == name || strings.HasPrefix(b, name+".") || strings.HasSuffix(b, "."+name) {
			return true
		}
	}
	return false
}

// dockerfile is a Dockerfile of the repository, parsed into stages.
type dockerfile struct {
	Name   string
	Stages []stage // at least one; the last is the image that runs
}

// dockerfiles returns the Dockerfiles of the app's images: not those of
// its tests and examples (tests/ratelimit/Dockerfile.nginx), which
// build a harness around the app, not what it releases.
func (r *Repo) dockerfiles() []dockerfile {
	var out []dockerfile
	for _, name := range r.appDockerfiles() {
		if st := stages(parseDockerfile(r.lines(name))); len(st) > 0 {
			out = append(out, dockerfile{Name: name, Stages: st})
		}
	}
	return out
}

// isToolingImage reports whether a Dockerfile builds a tool of the
// project rather than the app's image: a development container, or a
// builder of distribution packages (packaging/debian/Dockerfile), which run
// no app and so no app as root.
func isToolingImage(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		switch path.Base(dir) {
		case ".devcontainer", "packaging":
			return true
		}
	}
	return false
}

func (r *Repo) appDockerfiles() []string {
	var out []string
	for _, name := range r.filesWhere(isDockerfile) {
		if !isExamplePath(name) {
			out = append(out, name)
		}
	}
	return out
}

func hasDockerfile(r *Repo) bool { return len(r.appDockerfiles()) > 0 }

const ruleUnpinnedBaseImage = factorBuildReleaseRun + "-unpinned-base-image"

var unpinnedBaseImage = Rule{
	ID:      ruleUnpinnedBaseImage,
	Factor:  factorBuildReleaseRun,
	Title:   "base images are pinned to a version or digest, so that builds repeat",
	NA:      "there is no Dockerfile",
	Applies: hasDockerfile,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, d := range r.dockerfiles() {
			for i, s := range d.Stages {
				if s.Image == "" || strings.EqualFold(s.Image, "scratch") || parent(d.Stages, i) >= 0 {
					continue // scratch is empty, FROM build is a stage
				}
				name, tag, digest := splitImage(s.Image)
				if strings.Contains(s.Image, "$") && (tag != "latest" || strings.Contains(tag+digest, "$")) {
					continue // an ARG may hold the tag; busybox-${ARCH}:latest is still latest
				}
				var why string
				switch {
				case digest != "":
					continue
				case tag == "":
					why = "has no tag"
				case tag == "latest":
					why = "uses the tag latest"
				default:
					continue
				}
				out = append(out, finding(ruleUnpinnedBaseImage, Warn, d.Name, s.From.Line, "FROM %s %s, so each build may get a different image: pin a version (%s:<version>) or a digest (%s@sha256:<digest>)", s.Image, why, name, name))
			}
		}
		return out
	},
}

const ruleContainerRoot = factorBuildReleaseRun + "-container-root"

var containerRoot = Rule{
	ID:      ruleContainerRoot,
	Factor:  factorBuildReleaseRun,
	Title:   "the container runs the app as a user other than root",
	NA:      "there is no Dockerfile",
	Applies: hasDockerfile,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, d := range r.dockerfiles() {
			if isToolingImage(d.Name) {
				continue
			}
			i := len(d.Stages) - 1
			user, ok := last(d.Stages, i, "USER")
			if !ok {
				if _, tag, _ := splitImage(baseImage(d.Stages, i)); !strings.Contains(tag, "nonroot") {
					out = append(out, finding(ruleContainerRoot, Warn, d.Name, d.Stages[i].From.Line, "the image runs the app as root because its last stage sets no USER: add a non-root USER, such as USER 65532:65532, after the steps that need root"))
				}
				continue
			}
			if name, _, _ := strings.Cut(user.Args, ":"); name == "root" || name == "0" {
				out = append(out, finding(ruleContainerRoot, Warn, d.Name, user.Line, "USER %s runs the app as root: switch to a non-root user, such as USER 65532:65532, after the steps that need root", user.Args))
			}
		}
		return out
	},
}

const ruleExecFormEntrypoint = factorDisposability + "-exec-form-entrypoint"

var execFormEntrypoint = Rule{
	ID:      ruleExecFormEntrypoint,
	Factor:  factorDisposability,
	Title:   "the image starts the app with the exec form, so that it gets SIGTERM",
	NA:      "there is no Dockerfile",
	Applies: hasDockerfile,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, d := range r.dockerfiles() {
			for _, cmd := range []string{"ENTRYPOINT", "CMD"} {
				in, ok := last(d.Stages, len(d.Stages)-1, cmd)
				if !ok || isExecForm(in.Args) || shellExecs(in.Args) {
					continue
				}
				var msg string
				switch {
				case strings.HasPrefix(in.Args, "["):
					msg = fmt.Sprintf(`%s is not a valid JSON array, so it runs in shell form under /bin/sh -c, which does not pass SIGTERM on: quote every word with double quotes, as in %s ["/app/server"]`, cmd, cmd)
				case simpleWords().MatchString(in.Args):
					msg = fmt.Sprintf(`%s in shell form runs under /bin/sh -c, which does not pass SIGTERM on: use the exec form %s %s`, cmd, cmd, jsonArray(strings.Fields(in.Args)))
				default:
					msg = fmt.Sprintf(`%s in shell form runs under /bin/sh -c, which does not pass SIGTERM on: use the exec form %s ["/app/server"], or begin the shell command with exec`, cmd, cmd)
				}
				out = append(out, finding(ruleExecFormEntrypoint, Fail, d.Name, in.Line, "%s", msg))
			}
		}
		return out
	},
}

// simpleWords matches a command that needs no shell to run: no quotes,
// variables, globs or operators.
var simpleWords = lazyRegexp(`^[A-Za-z0-9_./:=,@%+-]+(?:[ \t]+[A-Za-z0-9_./:=,@%+-]+)*$`)

// shellExecs reports whether a shell-form command execs its program, as
// CMD exec /app/server --port "$PORT" does.
func shellExecs(args string) bool {
	cmds := splitCommands(args)
	return len(cmds) == 1 && execsProgram(cmds[0].Words)
}

// jsonArray formats words as a JSON array of strings.
func jsonArray(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = fmt.Sprintf("%q", w)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
