package checks

import (
	"bytes"
	"fmt"
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
	Applies: func(r *Repo) bool { return len(r.servers()) > 0 || len(r.daemonSites()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, d := range r.daemonSites() {
			out = append(out, finding(ruleProcessTypes, Warn, d.File, d.Line, "%s, so no process manager sees the process that serves, nor its exit, nor its output: run it in the foreground and let the process manager (systemd Type=exec, the container, a Procfile) start and stop it", d.Message))
		}
		if len(r.servers()) == 0 {
			return out
		}
		if len(r.procfiles()) > 0 || len(r.units()) > 0 || len(r.filesWhere(isCompose)) > 0 || len(r.startScripts()) > 0 {
			return out
		}
		for _, d := range r.dockerfiles() {
			if _, ok := last(d.Stages, len(d.Stages)-1, "CMD"); ok {
				return out
			}
			if _, ok := last(d.Stages, len(d.Stages)-1, "ENTRYPOINT"); ok {
				return out
			}
		}
		for _, name := range r.filesWhere(is("package.json")) {
			if strings.Contains(string(r.data(name)), `"start"`) {
				return out
			}
		}
		for _, name := range r.filesOf(func(n string) bool { return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") }) {
			if strings.Contains(string(r.data(name)), "kind: Deployment") {
				return out
			}
		}
		s := entrySite(r.servers())
		return append(out, finding(ruleProcessTypes, Warn, s.File, s.Line, "nothing declares how to run the app's processes, so each platform guesses: add a Procfile with one line per process type, as in web: ./run-app.sh"))
	},
}

// pm2Start matches pm2 starting an app as a daemon: pm2 start app.js, not
// pm2-runtime nor pm2 start --no-daemon.
var pm2Start = lazyRegexp(`\bpm2 start\b`)

// jsDaemon matches JavaScript that loads a package whose work is to put
// the process in the background: daemon, daemonize2.
var jsDaemon = lazyRegexp(`require\(\s*["'](daemon|daemonize2?)["']\s*\)|\bfrom\s+["'](daemon|daemonize2?)["']`)

// daemonSites returns where the app puts itself in the background instead
// of running in the foreground under a process manager (factor VIII: "never
// daemonize or write PID files"): a systemd unit of Type=forking, Python
// that forks and calls os.setsid or opens a daemon.DaemonContext, twistd
// started without --nodaemon, an image whose command is pm2 start,
// JavaScript that loads the daemon or daemonize2 package. Tests
// and examples are not the app.
func (r *Repo) daemonSites() []Finding {
	var out []Finding
	for _, name := range r.units() {
		for _, e := range unitEntries(r.lines(name)) {
			if e.Section == "Service" && e.Key == "Type" && e.Value == "forking" {
				out = append(out, Finding{File: name, Line: e.Line, Message: "the unit expects the service to fork into the background (Type=forking)"})
			}
		}
	}
	for _, d := range r.dockerfiles() {
		for _, cmd := range []string{"CMD", "ENTRYPOINT"} {
			if in, ok := last(d.Stages, len(d.Stages)-1, cmd); ok && pm2Start().MatchString(in.Args) && !strings.Contains(in.Args, "--no-daemon") {
				out = append(out, Finding{File: d.Name, Line: in.Line, Message: "the image's command is pm2 start, which runs the app under pm2's daemon in the background"})
			}
		}
	}
	for _, name := range r.filesOf(isScriptSource) {
		if isExamplePath(name) || isExample(name) {
			continue
		}
		if !strings.HasSuffix(name, ".py") {
			if d := r.data(name); bytes.Contains(d, []byte("daemon")) && !isBrowserCode(name) {
				for i, l := range r.lines(name) {
					if m := jsDaemon().FindStringSubmatch(l); m != nil && !strings.HasPrefix(strings.TrimSpace(l), "//") {
						out = append(out, Finding{File: name, Line: i + 1, Message: fmt.Sprintf("the %s package puts the program in the background", m[1]+m[2])})
						break
					}
				}
			}
			continue
		}
		d := r.data(name)
		if !bytes.Contains(d, []byte("setsid")) && !bytes.Contains(d, []byte("twistd")) && !bytes.Contains(d, []byte("DaemonContext")) {
			continue
		}
		if at, how := pyDaemonizes(r.lines(name)); at > 0 {
			out = append(out, Finding{File: name, Line: at, Message: how})
		}
	}
	return out
}

// pyDaemonizes returns the line where Python code daemonizes and how, or
// 0: an os.fork() followed within 30 lines by os.setsid(), a
// daemon.DaemonContext, or a list of twistd's arguments without
// --nodaemon (twistd forks by default).
func pyDaemonizes(lines []string) (int, string) {
	for i, l := range lines {
		code := strings.TrimSpace(l)
		if strings.HasPrefix(code, "#") {
			continue
		}
		switch {
		case strings.Contains(code, "os.fork()"):
			for _, next := range lines[i+1 : min(len(lines), i+30)] {
				if strings.Contains(next, "os.setsid()") && !strings.HasPrefix(strings.TrimSpace(next), "#") {
					return i + 1, "the program forks and calls os.setsid() to run in the background"
				}
			}
		case strings.Contains(code, "DaemonContext("):
			return i + 1, "daemon.DaemonContext puts the program in the background"
		case strings.Contains(code, "twistd.run()") || strings.Contains(code, `"twistd"`) || strings.Contains(code, "'twistd'"):
			if args, ok := pyListAround(lines, i); ok && !strings.Contains(args, "--nodaemon") && !strings.Contains(args, `"-n"`) && !strings.Contains(args, "'-n'") {
				return i + 1, "twistd is started without --nodaemon: it forks into the background and writes twistd.pid"
			}
		}
	}
	return 0, ""
}

// pyListAround returns the text of the Python list literal that holds
// lines[i], from the line that opens it to the one that closes it; false
// when lines[i] is in no list of at most 20 lines.
func pyListAround(lines []string, i int) (string, bool) {
	start := -1
	for j := i; j >= 0 && j > i-20; j-- {
		if strings.Contains(lines[j], "= [") || strings.HasSuffix(strings.TrimSpace(lines[j]), "[") {
			start = j
			break
		}
		if j < i && strings.Contains(lines[j], "]") {
			return "", false
		}
	}
	if start < 0 {
		return "", false
	}
	for j := i; j < len(lines) && j < start+20; j++ {
		if strings.Contains(lines[j], "]") {
			return strings.Join(lines[start:j+1], "\n"), true
		}
	}
	return "", false
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
