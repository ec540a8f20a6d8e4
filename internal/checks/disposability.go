package checks

import (
	"slices"
	"strings"
)

// Factor IX, disposability: servers stop gracefully on SIGTERM.

const ruleSigterm = factorDisposability + "-sigterm"

var sigterm = Rule{
	ID:      ruleSigterm,
	Factor:  factorDisposability,
	Title:   "Go and Node.js servers shut down gracefully on SIGTERM",
	NA:      "there is no Go program that listens and no JavaScript that calls listen",
	Applies: func(r *Repo) bool { return r.goServes() || len(r.jsServers()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		if r.goServes() && !slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return g.SIGTERM }) {
			for _, g := range r.goFiles() {
				if len(g.Listens) > 0 && !isExamplePath(g.Name) {
					out = append(out, finding(ruleSigterm, Fail, g.Name, g.Listens[0].Line, "the server does not handle SIGTERM, so every deploy cuts its requests short: stop on signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt) and drain with http.Server.Shutdown"))
					break
				}
			}
		}
		if js := r.jsServers(); len(js) > 0 {
			handled := false
			r.scriptLines(func(name string, _ int, code string) {
				handled = handled || !strings.HasSuffix(name, ".py") && strings.Contains(code, "SIGTERM")
			})
			if !handled {
				out = append(out, finding(ruleSigterm, Fail, js[0].File, js[0].Line, "nothing handles SIGTERM, so Node.js exits at once and cuts the requests in flight short: on process.on('SIGTERM'), call server.close() and exit when it is done"))
			}
		}
		return out
	},
}
