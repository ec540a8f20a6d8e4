package checks

import (
	"bytes"
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
			handled, optIns := r.jsSIGTERM()
			switch {
			case handled:
			case len(optIns) > 0:
				g := optIns[0]
				out = append(out, finding(ruleSigterm, Warn, g.File, g.Line, "SIGTERM is handled only behind %s, so by default Node.js exits at once and cuts the requests in flight short: handle SIGTERM always, calling server.close() and exiting when it is done", g.Message))
			default:
				out = append(out, finding(ruleSigterm, Fail, js[0].File, js[0].Line, "nothing handles SIGTERM, so Node.js exits at once and cuts the requests in flight short: on process.on('SIGTERM'), call server.close() and exit when it is done"))
			}
		}
		return out
	},
}

// jsSIGTERM reports whether JavaScript handles SIGTERM, and where it does so
// only when the environment asks: if (process.env.HANDLE_SIGNALS === 'true')
// { process.on('SIGTERM', ...) }.
func (r *Repo) jsSIGTERM() (handled bool, optIns []Finding) {
	for _, name := range r.filesOf(isScriptSource) {
		if strings.HasSuffix(name, ".py") || !bytes.Contains(r.data(name), []byte("SIGTERM")) {
			continue
		}
		lines := r.lines(name)
		for i, l := range lines {
			if !strings.Contains(l, "SIGTERM") {
				continue
			}
			if at, cond := envGuard(lines, i); at > 0 {
				optIns = append(optIns, Finding{File: name, Line: at, Message: cond})
			} else {
				return true, nil
			}
		}
	}
	return false, optIns
}

// envGuard returns the line and condition of the if that encloses
// lines[i] when that condition reads the environment, as the indentation
// shows it; 0 when no such if encloses it.
func envGuard(lines []string, i int) (int, string) {
	in := indentation(lines[i])
	for j := i - 1; j >= 0 && j >= i-10; j-- {
		t := strings.TrimSpace(lines[j])
		if t == "" || indentation(lines[j]) >= in {
			continue
		}
		if strings.HasPrefix(t, "if") && strings.Contains(t, "process.env") {
			return j + 1, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(t, "if")), "{"))
		}
		return 0, ""
	}
	return 0, ""
}

// indentation returns how many spaces and tabs start a line.
func indentation(l string) int {
	return len(l) - len(strings.TrimLeft(l, " \t"))
}
