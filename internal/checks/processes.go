package checks

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Factors V to XII as the code and its run files show them.

// mains returns the Go sources that hold a func main, but examples and
// tests: programs that show or test the app are not the app.
func (r *Repo) mains() []*goFile {
	var out []*goFile
	for _, g := range r.goFiles() {
		if g.Main && !isExamplePath(g.Name) {
			out = append(out, g)
		}
	}
	return out
}

// ldflagsX matches a build that stamps a variable: -ldflags "-X main.version=...".
var ldflagsX = lazy(`-X[ =]?['"]?[A-Za-z0-9_./-]+\.[A-Za-z_][A-Za-z0-9_]*=`)

var versionStamped = Rule{
	ID:      "V-version-stamped",
	Factor:  "V",
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
			if strings.HasPrefix(path.Base(name), ".goreleaser") && ldflagsX.Match(d) {
				return nil // ldflags: is a list, -X on the lines below
			}
			for _, l := range r.lines(name) {
				if strings.Contains(strings.ToLower(l), "ldflags") && ldflagsX.MatchString(l) {
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
				return []Finding{finding("V-version-stamped", Warn, h.Name, h.VersionVar, "the version variable is a literal that nothing stamps at build time, so every release reports the same version: build with -ldflags \"-X main.version=$(git describe --tags)\" or read debug.ReadBuildInfo, and log the version at start-up")}
			}
		}
		return nil
	},
}

// isStateFile reports whether a file keeps a process's local state: a PID
// file, an SQLite database.
func isStateFile(base string) bool {
	for _, ext := range []string{".pid", ".sqlite", ".sqlite3", ".db"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			return true
		}
	}
	return false
}

// pyState matches Python that keeps state on the local disk: a PID file,
// file-system sessions.
var pyState = lazy(`["'][^"']*\.pid["']|SESSION_TYPE\s*=\s*["']filesystem["']|SESSION_ENGINE\s*=\s*["']django\.contrib\.sessions\.backends\.file["']`)

// isPIDPath reports whether s is the path of a PID file: app.pid,
// /run/app/app.pid; not the sysctl name kern.proc.pid.
func isPIDPath(s string) bool {
	base := path.Base(s)
	return strings.HasSuffix(base, ".pid") && !strings.HasPrefix(base, ".") && !strings.ContainsAny(s, " \t\n") &&
		(strings.Contains(s, "/") || strings.Count(base, ".") == 1)
}

var localState = Rule{
	ID:      "VI-local-state",
	Factor:  "VI",
	Title:   "processes keep no state on the local disk: no PID files, sessions or databases",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		const id = "VI-local-state"
		var out []Finding
		for _, name := range r.filesWhere(isStateFile) {
			out = append(out, finding(id, Warn, name, 0, "%s is the local state of a process, committed with the code: remove it, and keep such state in a backing service (a database, a cache)", path.Base(name)))
		}
		for _, g := range r.goFiles() {
			for _, s := range g.Literals {
				if isPIDPath(s.Value) {
					out = append(out, finding(id, Fail, g.Name, s.Line, "the program writes the PID file %s, which the next process on another machine cannot see: let the process manager track the process and drop the PID file", s.Value))
				}
			}
		}
		r.scriptLines(func(name string, line int, code string) {
			if !strings.Contains(code, ".pid") && !strings.Contains(code, "SESSION_") || !strings.HasSuffix(name, ".py") {
				return
			}
			if m := pyState.FindString(code); m != "" {
				out = append(out, finding(id, Fail, name, line, "%s keeps state on the local disk, lost when the process moves and not shared with the others: keep sessions and state in a backing service (a database, a cache)", m))
			}
		})
		for _, m := range r.memoryStores() {
			out = append(out, finding(id, Warn, m.File, m.Line, "%s keeps sessions or cached data in the process's memory, which other instances cannot see and a restart loses: keep them in a backing service (Redis, Memcached, the database)", m.Message))
		}
		for _, u := range r.localUploads() {
			out = append(out, finding(id, Warn, u.File, u.Line, "uploaded files are kept on the local disk (%s), where other instances cannot serve them and a new release loses them: store them in an object store (S3, GCS) or a shared volume named by the environment", u.Message))
		}
		for _, name := range r.units() {
			for _, e := range unitEntries(r.lines(name)) {
				if e.Section == "Service" && e.Key == "PIDFile" {
					out = append(out, finding(id, Fail, name, e.Line, "the setting PIDFile= makes the service fork and track itself with a PID file: run it in the foreground with Type=exec and drop PIDFile="))
				}
			}
		}
		return out
	},
}

var systemdRoot = Rule{
	ID:      "V-systemd-root",
	Factor:  "V",
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
				out = append(out, finding("V-systemd-root", Warn, name, service, "the service runs as root: add DynamicUser=yes, or User= with an unprivileged user"))
			}
		}
		return out
	},
}

var (
	pyRunPort   = lazy(`\.(?:run|serve)\([^)]*\bport\s*=\s*[0-9]+`)
	nodeListen  = lazy(`\.listen\(\s*[1-9][0-9]*\s*[,)]`) // port 0 asks for any free port
	serverBind  = lazy(`(?:--bind[= ]|\s-b\s+)["']?(?:[A-Za-z0-9.\[\]-]*:)?[0-9]{2,5}(?:["'\s]|$)|(?:--port[= ]|\s-p\s+)["']?[0-9]{2,5}(?:["'\s]|$)`)
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

var portBinding = Rule{
	ID:     "VII-port-binding",
	Factor: "VII",
	Title:  "the app binds the port it is given in the environment",
	NA:     "nothing listens: no Go listener, no Python or JavaScript code, no start script",
	Applies: func(r *Repo) bool {
		return slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return len(g.Listens) > 0 && !isExamplePath(g.Name) }) ||
			len(r.servers()) > 0 || len(r.startScripts()) > 0 || len(r.wsgiModules()) > 0
	},
	Check: func(r *Repo) []Finding {
		const id = "VII-port-binding"
		const fix = "read the port from the environment (PORT), with a default for development"
		var out []Finding
		for _, g := range r.goFiles() {
			if isExamplePath(g.Name) {
				continue // examples/server/main.go shows how to serve; it is not the app
			}
			for _, l := range g.Listens {
				if isListenAddr(l.Addr) {
					out = append(out, finding(id, Fail, g.Name, l.Line, "%s listens on the fixed address %q, so two instances cannot share a host and the platform cannot choose the port: %s", l.Call, l.Addr, fix))
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
			if m := pyRunPort.FindString(code); m != "" && strings.HasSuffix(name, ".py") {
				out = append(out, finding(id, Fail, name, line, "%s) fixes the port: %s, as in port=int(os.environ.get(\"PORT\", \"8000\"))", m, fix))
			}
			if m := nodeListen.FindString(code); m != "" && !strings.HasSuffix(name, ".py") {
				out = append(out, finding(id, Fail, name, line, "%s) fixes the port: %s, as in .listen(process.env.PORT || 3000)", strings.TrimSpace(strings.TrimRight(m, ",)")), fix))
			}
		})
		check := func(name string, line int, cmds []command) {
			for _, c := range cmds {
				words := c.program()
				if !runsServer(words) {
					continue
				}
				if m := serverBind.FindString(" " + strings.Join(words, " ")); m != "" {
					out = append(out, finding(id, Fail, name, line, "%s fixes the port the server binds: %s, as in --bind \"$HOST:$PORT\"", strings.TrimSpace(m), fix))
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
			out = append(out, finding(id, Warn, w.File, w.Line, "%s, so the app binds no port of its own and needs that server installed beside it: run it with a server in the app's dependencies that binds $PORT, as in gunicorn --bind 0.0.0.0:$PORT", w.Message))
		}
		if !r.readsPort() {
			for _, c := range r.configPorts() {
				out = append(out, finding(id, Warn, c.File, c.Line, "the port to listen on is fixed in the config file (%s) and nothing reads it from the environment: %s", c.Message, fix))
			}
		}
		return out
	},
}

// wsgiConfig matches a line that hands the app to a web server module: a
// uWSGI Unix socket, Apache's mod_wsgi.
var wsgiConfig = lazy(`^\s*(?:(?:uwsgi-)?socket\s*=\s*\S+\.sock\b|WSGIScriptAlias\s|WSGIDaemonProcess\s)`)

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
			if m := wsgiConfig.FindString(l); m != "" {
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
var configPort = lazy(`^\s*["']?(port|Port|PORT|http_?[Pp]ort|HTTP_PORT|server_?[Pp]ort|listen|listen_?[Aa]ddr(?:ess)?|bind|bind_?[Aa]ddr(?:ess)?)["']?\s*[:=]\s*["']?((?:[0-9.]*|\[[0-9a-f:]*\]|[a-z.]*):?[0-9]{2,5})["']?\s*,?\s*(?:#.*|//.*)?$`)

// configPorts returns where a config file of the app fixes the port to
// listen on: YAML, JSON, TOML and JavaScript config files.
func (r *Repo) configPorts() []Finding {
	var out []Finding
	isConfig := func(name string) bool {
		b := strings.ToLower(path.Base(name))
		if isExamplePath(name) || isExample(name) || strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
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
			m := configPort.FindStringSubmatch(l)
			if m == nil || backingPort.MatchString("h:"+m[2][strings.LastIndex(m[2], ":")+1:]) {
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

// pyWebFramework matches a Python import of a web framework.
var pyWebFramework = lazy(`^(?:from|import)\s+(?:flask|django|fastapi|starlette|aiohttp|tornado|bottle|falcon|pyramid|sanic|quart)\b`)

// servers returns where the repository starts a server: Go code that
// listens in a repository with a func main, Python code that imports a web
// framework, JavaScript that calls listen. It is computed once.
func (r *Repo) servers() []Finding {
	r.serversOnce.Do(func() {
		app := len(r.mains()) > 0 // a library that serves is no app
		for _, g := range r.goFiles() {
			if !app || len(g.Listens) == 0 || isExamplePath(g.Name) {
				continue
			}
			for _, l := range g.Listens {
				r.serverSites = append(r.serverSites, Finding{File: g.Name, Line: l.Line})
			}
		}
		r.scriptLines(func(name string, line int, code string) {
			py := strings.HasSuffix(name, ".py")
			if py && isImport(code) && pyWebFramework.MatchString(code) {
				r.pyWeb = true
				r.serverSites = append(r.serverSites, Finding{File: name, Line: line})
			}
			if !py && strings.Contains(code, ".listen(") && !strings.Contains(code, ".listen()") && !isBrowserCode(name) && !isExamplePath(name) {
				r.serverSites = append(r.serverSites, Finding{File: name, Line: line})
			}
		})
	})
	return r.serverSites
}

// isBrowserCode reports whether a JavaScript file is served to browsers,
// not run by Node.js: it is in a folder of static assets.
func isBrowserCode(name string) bool {
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case "static", "public", "assets", "www", "wwwroot", "frontend", "bower_components":
			return true
		}
	}
	return strings.HasSuffix(name, ".min.js")
}

// isImport reports whether a line of Python imports.
func isImport(code string) bool {
	return strings.HasPrefix(code, "from ") || strings.HasPrefix(code, "import ")
}

var processTypes = Rule{
	ID:      "VIII-process-types",
	Factor:  "VIII",
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
		s := r.servers()[0]
		return []Finding{finding("VIII-process-types", Warn, s.File, s.Line, "nothing declares how to run the app's processes, so each platform guesses: add a Procfile with one line per process type, as in web: ./run-app.sh")}
	},
}

// goServes reports whether a Go program listens.
func (r *Repo) goServes() bool {
	return len(r.mains()) > 0 && slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return len(g.Listens) > 0 && !isExamplePath(g.Name) })
}

// jsServers returns where JavaScript calls listen.
func (r *Repo) jsServers() []Finding {
	var out []Finding
	for _, s := range r.servers() {
		if !strings.HasSuffix(s.File, ".go") && !strings.HasSuffix(s.File, ".py") {
			out = append(out, s)
		}
	}
	return out
}

var sigterm = Rule{
	ID:      "IX-sigterm",
	Factor:  "IX",
	Title:   "Go and Node.js servers shut down gracefully on SIGTERM",
	NA:      "there is no Go program that listens and no JavaScript that calls listen",
	Applies: func(r *Repo) bool { return r.goServes() || len(r.jsServers()) > 0 },
	Check: func(r *Repo) []Finding {
		const id = "IX-sigterm"
		var out []Finding
		if r.goServes() && !slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return g.SIGTERM }) {
			for _, g := range r.goFiles() {
				if len(g.Listens) > 0 && !isExamplePath(g.Name) {
					out = append(out, finding(id, Fail, g.Name, g.Listens[0].Line, "the server does not handle SIGTERM, so every deploy cuts its requests short: stop on signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt) and drain with http.Server.Shutdown"))
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
				out = append(out, finding(id, Fail, js[0].File, js[0].Line, "nothing handles SIGTERM, so Node.js exits at once and cuts the requests in flight short: on process.on('SIGTERM'), call server.close() and exit when it is done"))
			}
		}
		return out
	},
}

// kindOfURL returns the kind of backing service a URL is for, or "".
func kindOfURL(v string) string {
	scheme, _, ok := strings.Cut(v, "://")
	if !ok {
		scheme, _, ok = strings.Cut(v, ":") // sqlite:db.sqlite3
	}
	if !ok {
		return ""
	}
	return backingSchemes[strings.ToLower(scheme)]
}

var backingServiceParity = Rule{
	ID:     "X-backing-service-parity",
	Factor: "X",
	Title:  "development runs the same kinds and versions of backing services as production",
	NA:     "there is no compose file and no .env example",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(isCompose)) > 0 || len(r.filesWhere(isEnvExample)) > 0
	},
	Check: func(r *Repo) []Finding {
		const id = "X-backing-service-parity"
		services, out := r.composeServices()
		// The same variable set to URLs of different kinds of service.
		urls := map[string][]envValue{}
		for _, s := range services {
			for k, v := range s.Env {
				if kindOfURL(v.Value) != "" {
					urls[k] = append(urls[k], v)
				}
			}
		}
		for _, name := range r.filesWhere(isEnvExample) {
			for i, l := range r.lines(name) {
				k, v, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(l), "export "), "=")
				if v = strings.Trim(v, `"'`); ok && kindOfURL(v) != "" {
					urls[k] = append(urls[k], envValue{File: name, Line: i + 1, Value: v})
				}
			}
		}
		for k, vs := range urls {
			first := vs[0]
			for _, v := range vs[1:] {
				if a, b := kindOfURL(first.Value), kindOfURL(v.Value); a != b {
					out = append(out, finding(id, Warn, v.File, v.Line, "%s is a %s URL here but a %s URL in %s:%d, so development and production run different backing services: run %s everywhere, in a container for development", k, b, a, first.File, first.Line, cmpKind(a, b)))
					break
				}
			}
		}
		// The same service with a different kind or version of image.
		seen := map[string]composeService{}
		for _, s := range services {
			p, ok := seen[s.Name]
			if !ok || p.File == s.File || imageKind(s.Image) == "" || imageKind(p.Image) == "" {
				if !ok {
					seen[s.Name] = s
				}
				continue
			}
			_, pt, _ := splitImage(p.Image)
			_, st, _ := splitImage(s.Image)
			if imageKind(p.Image) != imageKind(s.Image) || major(pt) != major(st) {
				out = append(out, finding(id, Warn, s.File, s.Line, "service %s runs %s here but %s in %s: run the same backing service and major version in every environment", s.Name, s.Image, p.Image, p.File))
			}
		}
		slices.SortFunc(out, func(a, b Finding) int { return strings.Compare(a.String(), b.String()) })
		return out
	},
}

// cmpKind picks the service to run everywhere: the one that is not SQLite.
func cmpKind(a, b string) string {
	if a == "sqlite" {
		return b
	}
	return a
}

// major returns the major version of an image tag: 16 of 16.4-alpine.
func major(tag string) string {
	m, _, _ := strings.Cut(tag, ".")
	m, _, _ = strings.Cut(m, "-")
	return m
}

// isEnvExample reports whether a file is a dotenv example: .env.example.
func isEnvExample(base string) bool {
	return strings.HasPrefix(base, ".env") && isExample(base)
}

// pyPrint matches a Python print call that starts a statement.
var pyPrint = lazy(`^print\s*\(`)

var printLogging = Rule{
	ID:     "XI-print-logging",
	Factor: "XI",
	Title:  "server code logs with a logger, not print",
	NA:     "there is no Go code importing net/http and no Python web app",
	Applies: func(r *Repo) bool {
		return slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return g.Imports["net/http"] }) || r.pythonWebApp()
	},
	Check: func(r *Repo) []Finding {
		const id = "XI-print-logging"
		var out []Finding
		for _, g := range r.goFiles() {
			if !g.Imports["net/http"] || isCLI(g) || isExamplePath(g.Name) {
				continue
			}
			for _, l := range g.Prints {
				out = append(out, finding(id, Warn, g.Name, l, "server code prints with fmt.Print or print, lines without level, time or request: log with log/slog to stdout"))
			}
		}
		if r.pythonWebApp() {
			cli := map[string]bool{} // by file, computed at its first print
			isCLI := func(name string) bool {
				c, ok := cli[name]
				if !ok {
					c = isPythonCLI(name, r.data(name))
					cli[name] = c
				}
				return c
			}
			r.scriptLines(func(name string, line int, code string) {
				b := path.Base(name)
				if strings.HasPrefix(code, "print") && strings.HasSuffix(b, ".py") && pyPrint.MatchString(code) && !isCLI(name) {
					out = append(out, finding(id, Warn, name, line, "print writes lines without level or time that cannot be filtered: log with the logging module to stdout, as in logging.getLogger(__name__).info(...)"))
				}
			})
		}
		return out
	},
}

// cliPackages are the imports of Go command-line interfaces, whose prints
// talk to a user at a terminal rather than log.
var cliPackages = []string{"flag", "github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/urfave/cli", "github.com/urfave/cli/v2", "github.com/urfave/cli/v3", "github.com/alecthomas/kong", "github.com/alecthomas/kingpin/v2", "gopkg.in/alecthomas/kingpin.v2"}

// isCLI reports whether a Go source is part of a command-line interface.
func isCLI(g *goFile) bool {
	return slices.ContainsFunc(cliPackages, func(p string) bool { return g.Imports[p] })
}

// pyCLI matches the imports of Python command-line interfaces.
var pyCLI = lazy(`(?m)^\s*(?:import|from)\s+(?:argparse|optparse|click|typer|docopt|fire)\b`)

// isPythonCLI reports whether a Python file is a command-line interface,
// whose prints talk to a user: setup.py, manage.py, a module that parses
// arguments, a file of a cli or management/commands folder.
func isPythonCLI(name string, data []byte) bool {
	b := path.Base(name)
	if b == "setup.py" || b == "manage.py" || b == "conftest.py" || b == "__main__.py" || b == "cli.py" {
		return true
	}
	for _, dir := range strings.Split(path.Dir(name), "/") {
		if dir == "cli" || dir == "commands" || dir == "scripts" || dir == "bin" {
			return true
		}
	}
	return bytes.Contains(data, []byte("import")) && pyCLI.Match(data)
}

// pythonWebApp reports whether Python code imports a web framework.
func (r *Repo) pythonWebApp() bool {
	r.servers()
	return r.pyWeb
}

// adminClients are the database clients that scripts run admin tasks with.
var adminClients = []string{"psql", "mysql", "mongo", "mongosh", "redis-cli", "pg_dump", "pg_restore", "mysqldump"}

// adminHost returns the host that words of an admin client name, when it is
// written in the script: -h db.prod, --host=db.prod, postgres://u@db.prod/x.
func adminHost(words []string) string {
	for i := 1; i < len(words); i++ {
		w := unquote(words[i])
		var host string
		switch {
		case (w == "-h" || w == "--host") && i+1 < len(words):
			host = unquote(words[i+1])
		case strings.HasPrefix(w, "--host="):
			host = strings.TrimPrefix(w, "--host=")
		case strings.HasPrefix(w, "-h") && len(w) > 2 && !strings.HasPrefix(w, "--"):
			host = w[2:]
		case backingAddress(w):
			if _, rest, ok := strings.Cut(w, "@"); ok {
				host, _, _ = strings.Cut(rest, "/")
			} else if _, rest, ok := strings.Cut(w, "://"); ok {
				host, _, _ = strings.Cut(rest, "/")
			}
		}
		if host != "" && !strings.Contains(host, "$") && !isLocalHost(strings.Split(host, ":")[0]) {
			return host
		}
	}
	return ""
}

var adminProcesses = Rule{
	ID:     "XII-admin-processes",
	Factor: "XII",
	Title:  "admin tasks run as one-off processes of the app, not scripts aimed at a fixed host",
	NA:     "there is no shell script and no Makefile",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(isShellScript)) > 0 || len(r.filesWhere(is("Makefile"))) > 0
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		check := func(name string, line int, cmds []command) {
			for _, c := range cmds {
				words := c.program()
				if len(words) == 0 || !slices.Contains(adminClients, path.Base(unquote(words[0]))) {
					continue
				}
				if host := adminHost(words); host != "" {
					out = append(out, finding("XII-admin-processes", Warn, name, line, "%s runs against the fixed host %s, outside the release and its config: make the task a subcommand of the app (as in myapp migrate) that reads the same environment, and run it as a one-off process", path.Base(unquote(words[0])), host))
				}
			}
		}
		for _, name := range r.filesWhere(isShellScript) {
			for _, l := range shellLines(r.lines(name)) {
				check(name, l.Line, l.Cmds)
			}
		}
		for _, name := range r.filesWhere(is("Makefile")) {
			for i, l := range r.lines(name) {
				if strings.HasPrefix(l, "\t") {
					check(name, i+1, splitCommands(strings.TrimLeft(l, "\t@-+")))
				}
			}
		}
		return out
	},
}

var (
	// scriptSQLite matches Python and JavaScript that open an SQLite
	// database: Django's sqlite3 backend, an sqlite:/// URL, sqlite3.connect,
	// the sqlite3 and better-sqlite3 packages, node:sqlite.
	scriptSQLite = lazy(`django\.db\.backends\.sqlite3|["']sqlite(?:\+\w+)?:///|\bsqlite3\.connect\(|require\(\s*["'](?:sqlite3|better-sqlite3|node:sqlite)["']\s*\)|from\s+["'](?:sqlite3|better-sqlite3|node:sqlite)["']`)
	// scriptUploads matches Python and JavaScript that keep uploads in a
	// local folder: UPLOAD_FOLDER = "...", MEDIA_ROOT = ..., a storage
	// directory, Werkzeug's file.save(os.path.join(...)), multer's dest or
	// diskStorage, express-fileupload's mv.
	scriptUploads = lazy(`^(?:[A-Z_]*UPLOAD[A-Z_]*(?:DIR|FOLDER|PATH|ROOT)|MEDIA_ROOT|[A-Z_]*STORAGE_[A-Z_]*(?:DIR|DIRECTORY|FOLDER|PATH|ROOT))\s*=\s*[^\s]|\.save\(\s*os\.path\.join\(|multer\(\s*\{[^}]*\bdest\s*:|multer\.diskStorage\(|\.mv\(\s*[\x60'"]?[^,)]*upload`)
)

// serverDBPackage matches, in a manifest, a driver of a database server.
var serverDBPackage = lazy(`(?m)^\s*["']?(?:psycopg2?(?:-binary)?|psycopg\[|asyncpg|mysqlclient|pymysql|mysql-connector-python|pg|pg-promise|mysql2?|mongodb|mongoose|github\.com/lib/pq|github\.com/jackc/pgx(?:/v[0-9]+)?|github\.com/go-sql-driver/mysql|gorm\.io/driver/(?:postgres|mysql))["']?\s*(?:[=<>~!:\[ ]|$)`)

// sqliteSite is where the app opens an SQLite database.
type sqliteSite struct {
	File     string
	Line     int
	Fallback bool // the same line reads the environment: DATABASE_URL or "sqlite:///"
}

// sqliteSites returns where the app keeps its data in SQLite: Go that
// imports an SQLite driver in a repository with a func main, and Python or
// JavaScript that opens an SQLite database. serverDB is true when the app
// can also use a database server.
func (r *Repo) sqliteSites() (sites []sqliteSite, serverDB bool) {
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			if g.SQLite > 0 && !isExamplePath(g.Name) {
				sites = append(sites, sqliteSite{File: g.Name, Line: g.SQLite})
			}
			serverDB = serverDB || g.ServerDB
		}
	}
	for _, name := range r.filesWhere(func(b string) bool {
		return b == "package.json" || b == "pyproject.toml" || b == "Pipfile" || b == "setup.py" || b == "go.mod" || isRequirements(b)
	}) {
		if serverDBPackage.Match(r.data(name)) {
			serverDB = true
		}
	}
	r.scriptLines(func(name string, line int, code string) {
		if !strings.Contains(code, "sqlite") || isExamplePath(name) {
			return
		}
		if scriptSQLite.MatchString(code) {
			env := strings.Contains(code, "environ") || strings.Contains(code, "getenv") || strings.Contains(code, "process.env")
			sites = append(sites, sqliteSite{File: name, Line: line, Fallback: env})
		}
	})
	return sites, serverDB
}

// isExamplePath reports whether a file is in a folder of examples, demos
// or tests: code that shows or tests the app, and is not the app.
func isExamplePath(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		switch strings.ToLower(path.Base(dir)) {
		case "example", "examples", "_examples", "sample", "samples", "demo", "demos", "test", "tests", "testing", "e2e", "__tests__", "spec":
			return true
		}
	}
	return false
}

// localUploads returns where the app saves uploaded files to its local disk.
func (r *Repo) localUploads() []Finding {
	var out []Finding
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			if isExamplePath(g.Name) {
				continue
			}
			for _, u := range g.Uploads {
				out = append(out, Finding{File: g.Name, Line: u.Line, Message: u.Value})
			}
		}
	}
	r.scriptLines(func(name string, line int, code string) {
		if !strings.Contains(code, "UPLOAD") && !strings.Contains(code, "MEDIA_ROOT") && !strings.Contains(code, "STORAGE_") &&
			!strings.Contains(code, ".save(") && !strings.Contains(code, "multer") && !strings.Contains(code, ".mv(") || isExamplePath(name) || isBrowserCode(name) {
			return
		}
		if !strings.Contains(code, "UPLOAD") && !strings.Contains(code, "MEDIA_ROOT") && !strings.Contains(code, "STORAGE_") &&
			!strings.Contains(code, ".save(") && !strings.Contains(code, "multer") && !strings.Contains(code, ".mv(") {
			return // most lines: the regular expression below is slow
		}
		if m := scriptUploads.FindString(code); m != "" && !strings.Contains(code, "environ") && !strings.Contains(code, "process.env") {
			out = append(out, Finding{File: name, Line: line, Message: strings.TrimSpace(m)})
		}
	})
	return out
}

// pyMemoryStore matches Python settings that keep sessions or a cache in
// the process: Django's LocMemCache, Flask-Caching's SimpleCache.
var pyMemoryStore = lazy(`django\.core\.cache\.backends\.locmem\.LocMemCache|CACHE_TYPE["']?\s*[:=]\s*["'](?:SimpleCache|simple|flask_caching\.backends\.SimpleCache)["']`)

// memoryStores returns where the app keeps sessions or a cache in its own
// memory: express-session without a store, Django's LocMemCache,
// Flask-Caching's SimpleCache.
func (r *Repo) memoryStores() []Finding {
	var out []Finding
	for _, name := range r.filesOf(isScriptSource) {
		if isExamplePath(name) || isBrowserCode(name) {
			continue
		}
		d := r.data(name)
		py := strings.HasSuffix(name, ".py")
		if py && !bytes.Contains(d, []byte("LocMemCache")) && !bytes.Contains(d, []byte("CACHE_TYPE")) {
			continue
		}
		if !py && (!bytes.Contains(d, []byte("express-session")) || bytes.Contains(d, []byte("store:")) || bytes.Contains(d, []byte("store ="))) {
			continue
		}
		for i, l := range r.lines(name) {
			if py {
				if m := pyMemoryStore.FindString(l); m != "" {
					out = append(out, Finding{File: name, Line: i + 1, Message: m})
				}
			} else if strings.Contains(l, "session({") || strings.Contains(l, "session( {") {
				out = append(out, Finding{File: name, Line: i + 1, Message: "express-session without a store"})
			}
		}
	}
	return out
}
