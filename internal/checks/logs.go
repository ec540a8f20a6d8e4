package checks

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Factor XI, logs: the app writes its logs to stdout, not to files or
// with print.

// pyPrint matches a Python print call that starts a statement.
var pyPrint = lazyRegexp(`^print\s*\(`)

const rulePrintLogging = factorLogs + "-print-logging"

var printLogging = Rule{
	ID:     rulePrintLogging,
	Factor: factorLogs,
	Title:  "server code logs with a logger, not print",
	NA:     "there is no Go code importing net/http and no Python web app",
	Applies: func(r *Repo) bool {
		return slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return g.Imports["net/http"] }) || r.pythonWebApp()
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, g := range r.goFiles() {
			if !g.Imports["net/http"] || isCLI(g) || isExamplePath(g.Name) {
				continue
			}
			for _, l := range g.Prints {
				out = append(out, finding(rulePrintLogging, Warn, g.Name, l, "server code prints with fmt.Print or print, lines without level, time or request: log with log/slog to stdout"))
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
			mainBlock := map[string][]bool{} // by file, computed at its first print
			inMain := func(name string, line int) bool {
				m, ok := mainBlock[name]
				if !ok {
					m = pyMainBlock(r.lines(name))
					mainBlock[name] = m
				}
				return line-1 < len(m) && m[line-1]
			}
			r.scriptLines(func(name string, line int, code string) {
				b := path.Base(name)
				if strings.HasPrefix(code, "print") && strings.HasSuffix(b, ".py") && pyPrint().MatchString(code) && !isExamplePath(name) && !printsToFile(pyCall(r.lines(name), line-1)) && !isCLI(name) && !inMain(name, line) {
					out = append(out, finding(rulePrintLogging, Warn, name, line, "print writes lines without level or time that cannot be filtered: log with the logging module to stdout, as in logging.getLogger(__name__).info(...)"))
				}
			})
		}
		return out
	},
}

// pyCall returns the text of the Python call that starts at lines[i], up
// to the line where its parentheses close (at most 30 lines): a print's
// file= argument may follow a triple-quoted text. Parentheses inside
// strings are counted too, which at worst reads a line more or less.
func pyCall(lines []string, i int) string {
	if i < 0 || i >= len(lines) {
		return ""
	}
	var b strings.Builder
	depth := 0
	for j := i; j < len(lines) && j < i+30; j++ {
		b.WriteString(lines[j])
		b.WriteByte('\n')
		depth += strings.Count(lines[j], "(") - strings.Count(lines[j], ")")
		if depth <= 0 {
			break
		}
	}
	return b.String()
}

// printsToFile reports whether a Python print writes into a file object
// other than the standard streams, print(text, file=buf): it composes a
// message or a file, and logs nothing.
func printsToFile(code string) bool {
	_, f, ok := strings.Cut(code, "file=")
	if !ok {
		_, f, ok = strings.Cut(code, "file =")
	}
	f = strings.TrimSpace(f)
	return ok && !strings.HasPrefix(f, "sys.stdout") && !strings.HasPrefix(f, "sys.stderr")
}

// pyMainGuard matches the guard of a Python module's script block.
var pyMainGuard = lazyRegexp(`^if\s+__name__\s*==\s*["']__main__["']\s*:`)

// pyMainBlock reports, per line, whether it is in the block of a module's
// if __name__ == "__main__": guard, which runs only when the file is run
// as a script by hand, never when the server imports it: its prints talk
// to the person who ran it (a demo, a quick check), and log no request.
func pyMainBlock(lines []string) []bool {
	out := make([]bool, len(lines))
	in := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
		case indentation(l) == 0:
			in = pyMainGuard().MatchString(t)
		}
		out[i] = in
	}
	return out
}

// cliPackages are the imports of Go command-line interfaces, whose prints
// talk to a user at a terminal rather than log.
var cliPackages = []string{"flag", "github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/urfave/cli", "github.com/urfave/cli/v2", "github.com/urfave/cli/v3", "github.com/alecthomas/kong", "github.com/alecthomas/kingpin/v2", "gopkg.in/alecthomas/kingpin.v2"}

// isCLI reports whether a Go source is part of a command-line interface.
func isCLI(g *goFile) bool {
	return slices.ContainsFunc(cliPackages, func(p string) bool { return g.Imports[p] })
}

// pyCLI matches the imports of Python command-line interfaces.
var pyCLI = lazyRegexp(`(?m)^\s*(?:import|from)\s+(?:argparse|optparse|click|typer|docopt|fire)\b`)

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
	return bytes.Contains(data, []byte("import")) && pyCLI().Match(data)
}

const ruleLogFiles = factorLogs + "-log-files"

var logFiles = Rule{
	ID:     ruleLogFiles,
	Factor: factorLogs,
	Title:  "output goes to stdout, not to log files",
	NA:     "there is no shell script, Procfile, Go or Python code",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(isShellScript)) > 0 || len(r.procfiles()) > 0 || len(r.goFiles()) > 0 ||
			len(r.filesOf(isScriptSource)) > 0
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		check := func(file string, l shellLine) {
			for _, c := range l.Cmds {
				if log := logFile(c.Words); log != "" {
					out = append(out, finding(ruleLogFiles, Fail, file, l.Line, "output goes to the file %s, where the platform does not collect it: write logs to stdout only and drop the redirection or tee", log))
				}
			}
		}
		for _, name := range r.filesWhere(isShellScript) {
			for _, l := range shellLines(r.lines(name)) {
				check(name, l)
			}
		}
		for _, p := range r.procfiles() {
			for _, e := range procfileEntries(r.lines(p)) {
				check(p, shellLine{Line: e.Line, Cmds: splitCommands(e.Command)})
			}
		}
		for _, g := range r.goFiles() {
			for _, l := range g.LogFiles {
				out = append(out, finding(ruleLogFiles, Fail, g.Name, l.Line, "the program writes the log file %s, where the platform does not collect it: log to stdout, as in slog.New(slog.NewJSONHandler(os.Stdout, nil))", l.Value))
			}
		}
		notApp := map[string]bool{} // examples and browser code, by file
		for _, name := range r.filesOf(isScriptSource) {
			notApp[name] = isExamplePath(name) || isBrowserCode(name)
		}
		r.scriptLines(func(name string, line int, code string) {
			// Cheap tests first: this runs on every line of code.
			if notApp[name] || len(code) > 500 { // a minified bundle is no logging setup
				return
			}
			if strings.Contains(code, "STDOUT") {
				if m := logStdoutOptIn().FindString(code); m != "" {
					out = append(out, finding(ruleLogFiles, Warn, name, line, "logs go to stdout only when %s is set, and to a file otherwise: log to stdout always, and drop the variable", strings.Trim(m[strings.IndexAny(m, "LS"):], `"'`)))
				}
			}
			if !strings.Contains(code, "File") && !strings.Contains(code, "file") && !strings.Contains(code, "log") &&
				!strings.Contains(code, "basicConfig(") && !strings.Contains(code, "destination") && !strings.Contains(code, "createWriteStream") {
				return
			}
			if strings.HasSuffix(name, ".py") {
				if strings.Contains(code, "FileHandler(") || strings.Contains(code, "basicConfig(") {
					if m := pyLogFile().FindString(code); m != "" {
						out = append(out, finding(ruleLogFiles, Fail, name, line, "%s) writes the logs to a file, where the platform does not collect them: log to stdout with logging.StreamHandler(sys.stdout)", m))
					}
				}
				if strings.Contains(code, "LogFile") || strings.Contains(code, "logfile") || strings.Contains(code, "log_file") || strings.Contains(code, "log-file") {
					if m := pyLogFileSetting().FindString(code); m != "" {
						out = append(out, finding(ruleLogFiles, Fail, name, line, "the server writes its logs to a file (%s), where the platform does not collect them: log to stdout, and leave files to the platform", strings.TrimSpace(m)))
					}
				}
				if strings.Contains(code, "FileHandler") || strings.Contains(code, "log =") || strings.Contains(code, "log=") {
					if m := pyLogConfigFile().FindString(code); m != "" {
						out = append(out, finding(ruleLogFiles, Fail, name, line, "the logging configuration writes to a file (%s), where the platform does not collect it: log to stdout with logging.StreamHandler", strings.TrimSpace(m)))
					}
				}
				return
			}
			if !strings.Contains(code, "File(") && !strings.Contains(code, "destination(") && !strings.Contains(code, "Stream(") &&
				!strings.Contains(code, "logrotate(") && !strings.Contains(code, "filename") {
				return // most lines: the regular expression below is slow
			}
			if m := jsLogFile().FindString(code); m != "" {
				out = append(out, finding(ruleLogFiles, Fail, name, line, "%s writes the logs to a file, where the platform does not collect them: log to stdout, as winston's Console transport or pino's default do", strings.TrimSpace(m)))
			}
		})
		for _, name := range r.filesWhere(func(b string) bool {
			return strings.HasSuffix(b, ".ini") || strings.HasSuffix(b, ".conf") || strings.HasSuffix(b, ".cfg")
		}) {
			if !strings.HasSuffix(name, ".ini") && (!isLogFileConfig(r.data(name)) || isExamplePath(name)) {
				continue
			}
			for i, l := range r.lines(name) {
				if m := iniLogFile().FindString(l); m != "" {
					out = append(out, finding(ruleLogFiles, Fail, name, i+1, "%s writes the logs to a file, where the platform does not collect them: drop it, so that the logs go to stdout", strings.TrimSpace(m)))
				}
			}
		}
		for _, name := range r.filesOf(isINIConfig) {
			if isExamplePath(name) || isExample(name) {
				continue
			}
			for _, l := range iniLogPaths(r.lines(name)) {
				out = append(out, finding(ruleLogFiles, Fail, name, l.Line, "the logging section writes the logs to the file %s, where the platform does not collect them: log to stdout, and leave files to the platform", l.Value))
			}
		}
		for _, name := range r.Files {
			if path.Base(path.Dir(name)) != "logrotate.d" {
				continue
			}
			for i, l := range r.lines(name) {
				if t := strings.TrimSpace(l); strings.HasPrefix(t, "/") && strings.Contains(t, ".log") {
					out = append(out, finding(ruleLogFiles, Warn, name, i+1, "logrotate rotates the log files %s, so the app writes its logs to files, where the platform does not collect them: log to stdout, and drop the logrotate config", strings.TrimSpace(strings.TrimSuffix(t, "{"))))
					break
				}
			}
		}
		for _, name := range r.filesWhere(isDataConfig) {
			if isExamplePath(name) {
				continue
			}
			for i, l := range r.lines(name) {
				if strings.Contains(l, "transports") && configLogTransportFile().MatchString(l) {
					out = append(out, finding(ruleLogFiles, Fail, name, i+1, "the logging configuration sends the logs to a file transport, where the platform does not collect them: list only stdout"))
				}
			}
		}
		for _, name := range r.filesWhere(func(b string) bool { return strings.HasSuffix(b, ".log") }) {
			out = append(out, finding(ruleLogFiles, Warn, name, 0, "the log file %s is committed: remove it, list *.log in .gitignore, and log to stdout", path.Base(name)))
		}
		return out
	},
}

// isLogFileConfig reports whether a .conf or .cfg file is a configuration
// of Python's logging.config.fileConfig, [loggers], [handlers] and
// [formatters] sections with their keys=, whatever its name:
// app_log.conf, logging.cfg. An .ini file is read for uWSGI and logging
// settings alike; other .conf files only when so shaped.
func isLogFileConfig(data []byte) bool {
	return bytes.Contains(data, []byte("[handlers]")) && bytes.Contains(data, []byte("[loggers]"))
}

// iniLogPaths returns the .log files that the logging sections of an INI
// config write to: path: app.log under [logging], [logging.http] or [log].
func iniLogPaths(lines []string) []goString {
	var out []goString
	logSection := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			logSection = strings.HasPrefix(strings.ToLower(t), "[log")
			continue
		}
		if !logSection || t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if c := strings.IndexByte(t, ':'); c >= 0 && (!ok || c < len(k)) {
			k, v, ok = t[:c], t[c+1:], true
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.Trim(strings.TrimSpace(v), `"'`)
		if ok && (k == "path" || k == "file" || k == "filename" || k == "log_file" || k == "logfile") && strings.HasSuffix(v, ".log") {
			out = append(out, goString{Line: i + 1, Value: v})
		}
	}
	return out
}

// pyLogConfigFile matches a file handler in Python's dictionary logging
// configuration, as Django's LOGGING holds it, and gunicorn's log files.
var pyLogConfigFile = lazyRegexp(`["']class["']\s*:\s*["']logging\.(?:handlers\.)?(?:Rotating|TimedRotating|Watched)?FileHandler["']|^(?:accesslog|errorlog)\s*=\s*["'][^"'-][^"']*["']`)

// jsLogFile matches Node.js loggers set up to write to a file: winston's
// File transport, pino.destination, a write stream to a .log file (a
// literal path or one built from __dirname), and the rotating streams of
// logrotate-stream, rotating-file-stream and file-stream-rotator opened
// on a .log file: logrotate({ file: __dirname + '/logs/output.log' }).
var jsLogFile = lazyRegexp(`\btransports\.File\(|\bpino\.destination\(\s*["'\x60][^"'\x60]+|createWriteStream\([^;)]*\.log["'\x60]|\btype\s*:\s*["'](?:file|dateFile|fileSync)["']\s*,\s*filename\s*:|\b(?:logrotate|rfs\.createStream|createStream|getStream)\(\s*(?:\{\s*(?:file|filename)\s*:\s*)?[^;)]*\.log["'\x60]`)

// iniLogFile matches an .ini setting that sends logs to a file: uWSGI's
// logto and daemonize, a FileHandler of Python's logging.fileConfig.
var iniLogFile = lazyRegexp(`^\s*(?:(?:logto|logto2|daemonize|logger)\s*=\s*(?:file:)?/\S+|class\s*=\s*(?:logging\.)?(?:handlers\.)?(?:Rotating|TimedRotating|Watched)?FileHandler\b)`)

// logStdoutOptIn matches a variable that turns logging to stdout on, as
// LOG_TO_STDOUT does in many Flask apps: without it, the logs go to a file.
var logStdoutOptIn = lazyRegexp(`(?:environ(?:\.get)?\(\s*|environ\[\s*|getenv\(\s*|process\.env\.)["']?(?:LOG_TO_STDOUT|LOGS_TO_STDOUT|LOG_STDOUT)\b`)

// pyLogFileSetting matches Python code that names the log file a server
// writes: Twisted's LogFile and DailyLogFile, twistd's --logfile argument,
// and a log file setting whose default is a .log file.
var pyLogFileSetting = lazyRegexp(`\b(?:Daily)?LogFile(?:\.fromFullPath)?\([^)]*\.log["']|["']--log-?file[= ][^-"'][^"']*["']|(?i:\blog_?file(?:_?name)?)\s*[=:]\s*["'][^"']+\.log["']`)

// configLogTransportFile matches a JSON or YAML logging configuration that
// lists a file among its transports, as bunyan- and winston-style loggers
// read it: "transports": ["file", "stdout"].
var configLogTransportFile = lazyRegexp(`\btransports["']?\s*:\s*\[[^\]]*["']?\bfile\b`)

// isDataConfig reports whether a file is JSON or YAML configuration, not a
// manifest or a lock file of a package manager.
func isDataConfig(base string) bool {
	switch path.Ext(base) {
	case ".json", ".yml", ".yaml":
		return base != "package.json" && base != "package-lock.json" && base != "pnpm-lock.yaml" && base != "composer.json"
	}
	return false
}

// pyLogFile matches Python logging set up to write to a file.
var pyLogFile = lazyRegexp(`(?:FileHandler|basicConfig)\([^)]*?(?:filename\s*=\s*)?["'][^"']+\.log["']`)

// logFile returns the .log file that words redirect or tee output to, or "".
func logFile(words []string) string {
	ops, targets := redirects(words)
	for k, op := range ops {
		if strings.Contains(op, ">") && strings.HasSuffix(targets[k], ".log") {
			return targets[k]
		}
	}
	for i, w := range words {
		if w != "tee" && !strings.HasSuffix(w, "(tee") { // exec > >(tee app.log)
			continue
		}
		for _, arg := range words[i+1:] {
			if arg = unquote(strings.TrimRight(arg, ")")); strings.HasSuffix(arg, ".log") {
				return arg
			}
		}
	}
	return ""
}
