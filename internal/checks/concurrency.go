package checks

import (
	"path"
	"strings"
)

// Factor VIII, concurrency: the app declares how to run its processes.

const ruleProcessTypes = factorConcurrency + "-process-types"

var processTypes = Rule{
	ID:      ruleProcessTypes,
	Factor:  factorConcurrency,
	Title:   "the way to run each process type is declared",
	NA:      "there is no server: no Go program that listens, Python web framework or JavaScript listen call",
	Applies: func(r *Repo) bool { return len(r.servers()) > 0 },
	Check: func(r *Repo) []Finding {
		if len(r.procfiles()) > 0 || len(r.units()) > 0 || len(r.filesWhere(isCompose)) > 0 || len(r.startScripts()) > 0 {
			return nil
		}
		for _, d := range r.dockerfiles() {
			if _, ok := last(d.Stages, len(d.Stages)-1, "CMD"); ok {
				return nil
			}
			if _, ok := last(d.Stages, len(d.Stages)-1, "ENTRYPOINT"); ok {
				return nil
			}
		}
		for _, name := range r.filesWhere(is("package.json")) {
			if strings.Contains(string(r.data(name)), `"start"`) {
				return nil
			}
		}
		for _, name := range r.filesOf(func(n string) bool { return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") }) {
			if strings.Contains(string(r.data(name)), "kind: Deployment") {
				return nil
			}
		}
		s := entrySite(r.servers())
		return []Finding{finding(ruleProcessTypes, Warn, s.File, s.Line, "nothing declares how to run the app's processes, so each platform guesses: add a Procfile with one line per process type, as in web: ./run-app.sh")}
	},
}

// entryFiles are the names of the files that usually start an app's
// server, best first.
var entryFiles = []string{"wsgi.py", "asgi.py", "app.py", "main.py", "server.py", "web.py", "__main__.py", "main.go", "server.js", "app.js", "index.js"}

// entrySite returns the server site a reader would look at first: one in
// a file that starts the app (wsgi.py, app.py, main.go) rather than the
// first module that imports the web framework. sites is not empty.
func entrySite(sites []Finding) Finding {
	for _, e := range entryFiles {
		for _, s := range sites {
			if path.Base(s.File) == e {
				return s
			}
		}
	}
	return sites[0]
}
