package checks

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Factor IX, disposability: servers stop gracefully on SIGTERM.

const ruleSigterm = factorDisposability + "-sigterm"

var sigterm = Rule{
	ID:      ruleSigterm,
	Factor:  factorDisposability,
	Title:   "Go, Node.js and Python servers shut down gracefully on SIGTERM",
	NA:      "there is no Go program that listens, no JavaScript that calls listen and no Python served by werkzeug's run_simple",
	Applies: func(r *Repo) bool { return r.goServes() || len(r.jsServers()) > 0 || len(r.pyDevServers()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, s := range r.pyDevServers() {
			out = append(out, finding(ruleSigterm, Warn, s.File, s.Line, "the app is served by werkzeug's run_simple, a development server that stops at once on SIGTERM and cuts the requests in flight short: serve it with a WSGI server that drains on SIGTERM, such as gunicorn or uWSGI"))
		}
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

// pyDevServer matches Python that starts werkzeug's development server.
var pyDevServer = lazyRegexp(`^(?:[\w.]+\.)?run_simple\(`)

// pyDevServers returns where Python code, in a module or in a script of a
// bin/ folder, serves the app with werkzeug's run_simple outside an
// if __name__ == "__main__": block (which runs only by hand); tests and
// examples are not the app. One site a file.
func (r *Repo) pyDevServers() []Finding {
	var out []Finding
	for _, name := range r.Files {
		if !strings.HasSuffix(name, ".py") && !isBinScript(name) {
			continue
		}
		if isExamplePath(name) || isExample(name) {
			continue
		}
		data := r.data(name)
		if !bytes.Contains(data, []byte("run_simple(")) {
			continue
		}
		if first, _, _ := bytes.Cut(data, []byte("\n")); path.Ext(name) == "" && !(bytes.HasPrefix(first, []byte("#!")) && bytes.Contains(first, []byte("python"))) {
			continue
		}
		lines := r.lines(name)
		inMain := pyMainBlock(lines)
		for i, l := range lines {
			if pyDevServer().MatchString(strings.TrimSpace(l)) && !inMain[i] {
				out = append(out, Finding{File: name, Line: i + 1})
				break
			}
		}
	}
	return out
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
