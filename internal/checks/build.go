package checks

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Factor V, build, release, run, as Go programs and systemd units show it:
// a version stamped at build time, a service that does not run as root.

// ldflagsX matches a build that stamps a variable: -ldflags "-X main.version=...".
var ldflagsX = lazyRegexp(`-X[ =]?['"]?[A-Za-z0-9_./-]+\.[A-Za-z_][A-Za-z0-9_]*=`)

const ruleVersionStamped = factorBuildReleaseRun + "-version-stamped"

var versionStamped = Rule{
	ID:      ruleVersionStamped,
	Factor:  factorBuildReleaseRun,
	Title:   "Go programs know the version they were built from",
	NA:      "there is no Go func main",
	Applies: func(r *Repo) bool { return len(r.mains()) > 0 },
	Check: func(r *Repo) []Finding {
		for _, g := range r.goFiles() {
			if g.ReadBuildInfo {
				return nil
			}
		}
		for _, name := range r.Files {
			d := r.data(name)
			if !bytes.Contains(d, []byte("ldflags")) && !bytes.Contains(d, []byte("LDFLAGS")) {
				continue
			}
			if strings.HasPrefix(path.Base(name), ".goreleaser") && ldflagsX().Match(d) {
				return nil // ldflags: is a list, -X on the lines below
			}
			for _, l := range r.lines(name) {
				if strings.Contains(strings.ToLower(l), "ldflags") && ldflagsX().MatchString(l) {
					return nil
				}
			}
		}
		// Without a version variable there is nothing wrong to report: a
		// go build in a checkout stamps the commit, which
		// debug.ReadBuildInfo reads. A variable set to "dev" that nothing
		// stamps is a version every release reports wrong.
		mainDirs := map[string]bool{}
		for _, g := range r.mains() {
			mainDirs[path.Dir(g.Name)] = true
		}
		for _, h := range r.goFiles() {
			if h.VersionVar > 0 && mainDirs[path.Dir(h.Name)] {
				return []Finding{finding(ruleVersionStamped, Warn, h.Name, h.VersionVar, "the version variable is a literal that nothing stamps at build time, so every release reports the same version: build with -ldflags \"-X main.version=$(git describe --tags)\" or read debug.ReadBuildInfo, and log the version at start-up")}
			}
		}
		return nil
	},
}

const ruleSystemdRoot = factorBuildReleaseRun + "-systemd-root"

var systemdRoot = Rule{
	ID:      ruleSystemdRoot,
	Factor:  factorBuildReleaseRun,
	Title:   "systemd units run the app as a user other than root",
	NA:      "there is no systemd service unit",
	Applies: func(r *Repo) bool { return len(r.units()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.units() {
			user, dynamic, service := "", false, 0
			for _, e := range unitEntries(r.lines(name)) {
				if e.Section != "Service" {
					continue
				}
				if service == 0 {
					service = e.Line
				}
				switch e.Key {
				case "User":
					user = e.Value
				case "DynamicUser":
					dynamic = slices.Contains([]string{"yes", "true", "on", "1"}, strings.ToLower(e.Value))
				}
			}
			if !dynamic && (user == "" || user == "root" || user == "0") {
				out = append(out, finding(ruleSystemdRoot, Warn, name, service, "the service runs as root: add DynamicUser=yes, or User= with an unprivileged user"))
			}
		}
		return out
	},
}
