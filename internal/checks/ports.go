package checks

import (
	"path"
	"slices"
	"strings"
)

// Factor VII, port binding: the app binds the port the environment gives.

var (
	pyRunPort   = lazyRegexp(`\.(?:run|serve)\([^)]*\bport\s*=\s*[0-9]+`)
	nodeListen  = lazyRegexp(`\.listen\(\s*[1-9][0-9]*\s*[,)]`) // port 0 asks for any free port
	serverBind  = lazyRegexp(`(?:--bind[= ]|\s-b\s+)["']?(?:[A-Za-z0-9.\[\]-]*:)?[0-9]{2,5}(?:["'\s]|$)|(?:--port[= ]|\s-p\s+)["']?[0-9]{2,5}(?:["'\s]|$)`)
	serverNames = []string{"gunicorn", "uvicorn", "hypercorn", "waitress-serve", "daphne", "flask", "uwsgi", "fastapi", "granian"}
)

// runsServer reports whether words start a Python web server.
func runsServer(words []string) bool {
	for _, w := range words {
		if slices.Contains(serverNames, path.Base(unquote(w))) {
			return true
		}
	}
	return false
}

const rulePortBinding = factorPortBinding + "-port-binding"

var portBinding = Rule{
	ID:     rulePortBinding,
	Factor: factorPortBinding,
	Title:  "the app binds the port it is given in the environment",
	NA:     "nothing listens: no Go listener, no Python or JavaScript code, no start script",
	Applies: func(r *Repo) bool {
		return slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return len(g.Listens) > 0 && !isExamplePath(g.Name) }) ||
			len(r.servers()) > 0 || len(r.startScripts()) > 0 || len(r.wsgiModules()) > 0
	},
	Check: func(r *Repo) []Finding {
		const fix = "read the port from the environment (PORT), with a default for development"
		var out []Finding
		for _, g := range r.goFiles() {
			if isExamplePath(g.Name) {
				continue // examples/server/main.go shows how to serve; it is not the app
			}
			for _, l := range g.Listens {
				if isListenAddr(l.Addr) {
					out = append(out, finding(rulePortBinding, Fail, g.Name, l.Line, "%s listens on the fixed address %q, so two instances cannot share a host and the platform cannot choose the port: %s", l.Call, l.Addr, fix))
				}
			}
		}
		r.scriptLines(func(name string, line int, code string) {
			if !strings.Contains(code, ".run(") && !strings.Contains(code, ".listen(") && !strings.Contains(code, ".serve(") {
				return
			}
			if isExamplePath(name) {
				return // tests and examples start servers of their own
			}
			if m := pyRunPort().FindString(code); m != "" && strings.HasSuffix(name, ".py") {
				out = append(out, finding(rulePortBinding, Fail, name, line, "%s) fixes the port: %s, as in port=int(os.environ.get(\"PORT\", \"8000\"))", m, fix))
			}
			if m := nodeListen().FindString(code); m != "" && !strings.HasSuffix(name, ".py") {
				out = append(out, finding(rulePortBinding, Fail, name, line, "%s) fixes the port: %s, as in .listen(process.env.PORT || 3000)", strings.TrimSpace(strings.TrimRight(m, ",)")), fix))
			}
		})
		check := func(name string, line int, cmds []command) {
			for _, c := range cmds {
				words := c.program()
				if !runsServer(words) {
					continue
				}
				if m := serverBind().FindString(" " + strings.Join(words, " ")); m != "" {
					out = append(out, finding(rulePortBinding, Fail, name, line, "%s fixes the port the server binds: %s, as in --bind \"$HOST:$PORT\"", strings.TrimSpace(m), fix))
				}
			}
		}
		for _, name := range r.startScripts() {
			for _, l := range shellLines(r.lines(name)) {
				check(name, l.Line, l.Cmds)
			}
		}
		for _, p := range r.procfiles() {
			for _, e := range procfileEntries(r.lines(p)) {
				check(p, e.Line, splitCommands(e.Command))
			}
		}
		for _, w := range r.wsgiModules() {
			out = append(out, finding(rulePortBinding, Warn, w.File, w.Line, "%s, so the app binds no port of its own and needs that server installed beside it: run it with a server in the app's dependencies that binds $PORT, as in gunicorn --bind 0.0.0.0:$PORT", w.Message))
		}
		if !r.readsPort() {
			for _, c := range r.configPorts() {
				out = append(out, finding(rulePortBinding, Warn, c.File, c.Line, "the port to listen on is fixed in the config file (%s) and nothing reads it from the environment: %s", c.Message, fix))
			}
		}
		return out
	},
}

// wsgiConfig matches a line that hands the app to a web server module: a
// uWSGI Unix socket, Apache's mod_wsgi.
var wsgiConfig = lazyRegexp(`^\s*(?:(?:uwsgi-)?socket\s*=\s*\S+\.sock\b|WSGIScriptAlias\s|WSGIDaemonProcess\s)`)

// wsgiModules returns where the app is served through a web server's
// module or socket, rather than by binding a port: uWSGI on a Unix socket,
// Apache's mod_wsgi.
func (r *Repo) wsgiModules() []Finding {
	var out []Finding
	for _, name := range r.filesWhere(func(b string) bool { return strings.HasSuffix(b, ".ini") || strings.HasSuffix(b, ".conf") }) {
		if isExamplePath(name) {
			continue
		}
		for i, l := range r.lines(name) {
			if m := wsgiConfig().FindString(l); m != "" {
				what := "the app is served by Apache's mod_wsgi"
				if strings.Contains(m, "sock") {
					what = "uWSGI serves the app on a Unix socket for a web server in front"
				}
				out = append(out, Finding{File: name, Line: i + 1, Message: what})
				break
			}
		}
	}
	return out
}

// configPort matches a key of a config file that sets the port or address
// to listen on, and its value: port: 9000, "listenAddress": "0.0.0.0:14000".
var configPort = lazyRegexp(`^\s*["']?(port|Port|PORT|http_?[Pp]ort|HTTP_PORT|server_?[Pp]ort|listen|listen_?[Aa]ddr(?:ess)?|bind|bind_?[Aa]ddr(?:ess)?)["']?\s*[:=]\s*["']?((?:[0-9.]*|\[[0-9a-f:]*\]|[a-z.]*):?[0-9]{2,5})["']?\s*,?\s*(?:#.*|//.*)?$`)

// configPorts returns where a config file of the app fixes the port to
// listen on: YAML, JSON, TOML and JavaScript config files.
func (r *Repo) configPorts() []Finding {
	var out []Finding
	isConfig := func(name string) bool {
		b := strings.ToLower(path.Base(name))
		if !r.ofApp(name) || isExample(name) || strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
			return false
		}
		switch path.Ext(b) {
		case ".yml", ".yaml":
			return isYAMLConfig(name)
		case ".json", ".toml", ".js", ".ts":
			return strings.Contains(b, "config") || strings.Contains(b, "settings") || path.Base(path.Dir(name)) == "config" || path.Base(path.Dir(name)) == "defaults"
		}
		return false
	}
	for _, name := range r.filesOf(isConfig) {
		for i, l := range r.lines(name) {
			m := configPort().FindStringSubmatch(l)
			if m == nil || backingPort().MatchString("h:"+m[2][strings.LastIndex(m[2], ":")+1:]) {
				continue
			}
			out = append(out, Finding{File: name, Line: i + 1, Message: m[1] + ": " + m[2]})
			break
		}
	}
	return out
}

// readsPort reports whether the app reads the port or address to listen
// on from the environment, in its code or its start commands.
func (r *Repo) readsPort() bool {
	if slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return g.EnvPort }) {
		return true
	}
	found := false
	r.scriptLines(func(_ string, _ int, code string) {
		found = found || (strings.Contains(code, "environ") || strings.Contains(code, "getenv") || strings.Contains(code, "process.env")) && isPortVariable(strings.ToUpper(code))
	})
	for _, name := range append(r.startScripts(), r.procfiles()...) {
		found = found || strings.Contains(string(r.data(name)), "PORT")
	}
	return found
}
