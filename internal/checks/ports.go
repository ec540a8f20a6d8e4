package checks

import (
	"bytes"
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
			len(r.servers()) > 0 || len(r.startScripts()) > 0 || len(r.wsgiModules()) > 0 || len(r.configPorts()) > 0
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
			for _, c := range r.flagPorts() {
				out = append(out, finding(rulePortBinding, Warn, c.File, c.Line, "the port to listen on comes from the app's own option, default %s, and nothing reads it from the environment: read the port from the environment (PORT) first, and keep the option for development", c.Message))
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
var configPort = lazyRegexp(`^\s*["']?(port|Port|PORT|http_?[Pp]ort|HTTP_PORT|server_?[Pp]ort|hosts?|listen|listen_?[Aa]ddr(?:ess)?|bind|bind_?[Aa]ddr(?:ess)?)["']?\s*[:=]\s*["']?((?:[0-9.]*|\[[0-9a-f:]*\]|[a-z.]*):?[0-9]{2,5})["']?\s*,?\s*(?:#.*|//.*)?$`)

// isINIConfig reports whether a file is an app's config in the INI style,
// whose commented settings are its defaults: app.ini, app.conf, app.cfg,
// or a file named config without an extension (/etc/radicale/config).
func isINIConfig(name string) bool {
	b := strings.ToLower(path.Base(name))
	switch path.Ext(b) {
	case ".ini", ".conf", ".cfg":
		return !strings.Contains(b, "uwsgi") && !strings.Contains(b, "nginx") && !strings.Contains(b, "apache") && !strings.Contains(b, "supervisor")
	case "":
		return b == "config" || strings.HasSuffix(b, "rc") && strings.Contains(name, "etc/")
	}
	return false
}

// commentedDefault returns a line of an INI config with the comment marker
// of a commented setting taken off: "#hosts = localhost:5232", a default
// written as a comment, reads "hosts = localhost:5232". Prose comments stay
// comments, since a setting is one word, "=" and a value.
func commentedDefault(l string) string {
	t := strings.TrimLeft(l, " \t")
	if !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, ";") {
		return l
	}
	t = strings.TrimSpace(strings.TrimLeft(t, "#;"))
	key, _, ok := strings.Cut(t, "=")
	if !ok || strings.ContainsAny(strings.TrimSpace(key), " \t") {
		return l
	}
	return t
}

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
		return isINIConfig(name)
	}
	for _, name := range r.filesOf(isConfig) {
		ini := isINIConfig(name)
		for i, l := range r.lines(name) {
			if ini {
				l = commentedDefault(l)
			}
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

var (
	// portOption matches the start of a command-line option or setting
	// for the port to listen on: "--port" of argparse or click, port: {
	// of yargs.
	portOption = lazyRegexp(`["']--(?:port|listen|bind)["']|^\s*["']?port["']?\s*:\s*\{`)
	// optionDefault matches the default of such an option: default=5722,
	// default: 3000.
	optionDefault = lazyRegexp(`\bdefault\s*[:=]\s*["']?((?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|localhost|\[::\])?:?[0-9]{2,5})["']?\s*(?:[,)}]|$)`)
)

// flagPorts returns where the app's own options fix a default port to
// listen on: Go flags (flag.String("addr", ":8080", ...), kingpin's
// Default(":9093")), argparse and click options, yargs options.
func (r *Repo) flagPorts() []Finding {
	var out []Finding
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			if len(g.FlagAddrs) > 0 && !isExamplePath(g.Name) {
				out = append(out, Finding{File: g.Name, Line: g.FlagAddrs[0].Line, Message: g.FlagAddrs[0].Value})
			}
		}
	}
	for _, name := range r.filesOf(isScriptSource) {
		if isExamplePath(name) || isBrowserCode(name) || !bytes.Contains(r.data(name), []byte("port")) {
			continue
		}
		lines := r.lines(name)
	search:
		for i, l := range lines {
			if !strings.Contains(l, "port") && !strings.Contains(l, "--") || !portOption().MatchString(l) {
				continue
			}
			for j := i; j < len(lines) && j < i+6; j++ {
				if j > i && strings.Contains(lines[j], `"--`) || j > i && strings.Contains(lines[j], `'--`) {
					break // the next option
				}
				if m := optionDefault().FindStringSubmatch(lines[j]); m != nil {
					out = append(out, Finding{File: name, Line: j + 1, Message: m[1]})
					break search
				}
			}
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
	r.scriptLines(func(name string, _ int, code string) {
		found = found || !isExamplePath(name) && (strings.Contains(code, "environ") || strings.Contains(code, "getenv") || strings.Contains(code, "process.env")) && isPortVariable(strings.ToUpper(code))
	})
	for _, name := range append(r.startScripts(), r.procfiles()...) {
		found = found || strings.Contains(string(r.data(name)), "PORT")
	}
	return found
}
