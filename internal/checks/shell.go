package checks

import (
	"path"
	"slices"
	"strings"
)

// command is one simple command of a shell line.
type command struct {
	Words      []string // as written, quotes and all: see unquote
	Background bool     // it ends with a lone &
}

// splitCommands splits one line of shell into its simple commands, at ;,
// &&, ||, | and &, honouring quotes and backslashes and dropping a comment.
// It is a lexer, not a parser: enough to find how a script starts its app.
func splitCommands(line string) []command {
	var (
		cmds   []command
		words  []string
		word   strings.Builder
		inWord bool
		quote  byte
	)
	endWord := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	endCommand := func(background bool) {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, command{Words: words, Background: background})
		}
		words = nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		next := byte(0)
		if i+1 < len(line) {
			next = line[i+1]
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && next != 0 {
				i++
				word.WriteByte(c)
				c = next
			}
			word.WriteByte(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
			word.WriteByte(c)
		case c == '\\' && next != 0:
			i++
			word.WriteString(line[i-1 : i+1])
			inWord = true
		case c == '#' && !inWord:
			endCommand(false)
			return cmds
		case c == ' ' || c == '\t':
			endWord()
		case c == ';' || c == '|':
			if next == c {
				i++
			}
			endCommand(false)
		case c == '&' && next == '&':
			i++
			endCommand(false)
		case c == '&' && (next == '>' || strings.HasSuffix(word.String(), ">") || strings.HasSuffix(word.String(), "<")):
			word.WriteByte(c) // &>file, 2>&1, <&3
			inWord = true
		case c == '&':
			endCommand(true)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	endCommand(false)
	return cmds
}

// unquote returns the value of a shell word: "$HOME"/a\ b is $HOME/a b.
func unquote(w string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != '\'' && c == '\\' && i+1 < len(w):
			i++
			b.WriteByte(w[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// program returns the words of c from its program on: without the keywords
// and case patterns that may come first (then, do, !, web)).
func (c command) program() []string {
	w := c.Words
	for len(w) > 0 {
		switch w[0] {
		case "if", "then", "else", "elif", "while", "until", "do", "!", "{", "time":
		default:
			if len(w) < 2 || !strings.HasSuffix(w[0], ")") {
				return w
			}
		}
		w = w[1:]
	}
	return w
}

// redirection matches a word that redirects: its operator and its target,
// when the target is not the next word.
var redirection = lazyRegexp(`^(?:[0-9]+|&)?(>>|>\||>&|<&|<>|<<<|<<-?|>|<)(.*)$`)

// redirects returns each redirection of words: its operator and its target,
// unquoted.
func redirects(words []string) (ops, targets []string) {
	for i := 0; i < len(words); i++ {
		m := redirection().FindStringSubmatch(words[i])
		if m == nil {
			continue
		}
		target := m[2]
		if target == "" && i+1 < len(words) {
			i++
			target = words[i]
		}
		ops, targets = append(ops, m[1]), append(targets, unquote(target))
	}
	return ops, targets
}

// execsProgram reports whether words replace the shell with a program, as
// "exec ./server" does; "exec 2>&1" only redirects the shell's own output.
func execsProgram(words []string) bool {
	if len(words) == 0 || words[0] != "exec" {
		return false
	}
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-a": // exec -a NAME
			i++
		case strings.HasPrefix(w, "-"): // -c, -l
		case redirection().MatchString(w):
			if m := redirection().FindStringSubmatch(w); m[2] == "" {
				i++
			}
		default:
			return true
		}
	}
	return false
}

// shellLine is one logical line of a shell script.
type shellLine struct {
	Line int // 1-based line where it starts
	Cmds []command
}

// shellLines splits a script into logical lines, joining continuations and
// skipping comments, blank lines and the bodies of heredocs.
func shellLines(lines []string) []shellLine {
	var out []shellLine
	for i := 0; i < len(lines); i++ {
		start, text := i+1, lines[i]
		if strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + lines[i]
		}
		cmds := splitCommands(text)
		if len(cmds) > 0 {
			out = append(out, shellLine{Line: start, Cmds: cmds})
		}
		i = skipHeredocs(lines, i, cmds)
	}
	return out
}

// skipHeredocs returns the index of the last line of the heredocs that cmds,
// on line i, open (cat <<EOF), or i when they open none.
func skipHeredocs(lines []string, i int, cmds []command) int {
	for _, c := range cmds {
		ops, delims := redirects(c.Words)
		for k, op := range ops {
			if !strings.HasPrefix(op, "<<") || op == "<<<" {
				continue
			}
			for i++; i < len(lines); i++ {
				l := lines[i]
				if op == "<<-" {
					l = strings.TrimLeft(l, "\t")
				}
				if l == delims[k] {
					break
				}
			}
		}
	}
	return min(i, len(lines)-1)
}

// isShellScript reports whether a file is a shell script by its name.
func isShellScript(base string) bool {
	return strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash")
}

// startScriptNames are the names of scripts that start an app.
var startScriptNames = map[string]bool{
	"run.sh": true, "run-app.sh": true, "start.sh": true, "entrypoint.sh": true, "docker-entrypoint.sh": true,
}

// isMaintainersPath reports whether a file is in a folder of the
// maintainers' tooling, for releases and CI (scripts/release/start.sh
// starts a release, not the app).
func isMaintainersPath(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		switch strings.ToLower(path.Base(dir)) {
		case "release", "releases", "ci", ".github", ".circleci", "hack":
			return true
		}
	}
	return false
}

// startScripts returns the scripts that start the app: those a Procfile
// or a systemd unit runs, and those named like it (run.sh, entrypoint.sh)
// outside the maintainers' tooling.
func (r *Repo) startScripts() []string {
	var out []string
	for _, name := range r.Files {
		if startScriptNames[path.Base(name)] && !isMaintainersPath(name) {
			out = append(out, name)
		}
	}
	for _, p := range r.procfiles() {
		for _, e := range procfileEntries(r.lines(p)) {
			for _, c := range splitCommands(e.Command) {
				for _, w := range c.Words {
					name := path.Join(path.Dir(p), unquote(w))
					if isShellScript(name) && r.has(name) && !slices.Contains(out, name) {
						out = append(out, name)
					}
				}
			}
		}
	}
	for _, u := range r.units() {
		for _, e := range unitEntries(r.lines(u)) {
			if e.Section != "Service" || e.Key != "ExecStart" {
				continue
			}
			// ExecStart=/opt/app/run-app.sh: the script of the same name.
			for _, c := range splitCommands(strings.TrimLeft(e.Value, "-@:+!")) {
				if len(c.Words) == 0 || !isShellScript(unquote(c.Words[0])) {
					continue
				}
				for _, name := range r.filesWhere(is(path.Base(unquote(c.Words[0])))) {
					if !slices.Contains(out, name) {
						out = append(out, name)
					}
				}
			}
		}
	}
	return out
}

const ruleRunScriptExec = factorDisposability + "-run-script-exec"

var runScriptExec = Rule{
	ID:      ruleRunScriptExec,
	Factor:  factorDisposability,
	Title:   "start scripts exec the app, so that it gets the signals",
	NA:      "there is no start script (run.sh, run-app.sh, start.sh, entrypoint.sh, or one a Procfile or systemd unit runs)",
	Applies: func(r *Repo) bool { return len(r.startScripts()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.startScripts() {
			lines := shellLines(r.lines(name))
			execs := false
			forwards := forwardsSignals(lines)
			for _, l := range lines {
				for _, c := range l.Cmds {
					words := c.program()
					if len(words) == 0 {
						continue // only keywords, as in "do &"
					}
					_, targets := redirects(words)
					execs = execs || execsProgram(words)
					switch {
					case c.Background && !forwards:
						out = append(out, finding(ruleRunScriptExec, Fail, name, l.Line, "%s runs in the background, where it gets no signals and its exit goes unnoticed: run the app in the foreground with exec", words[0]))
					case slices.ContainsFunc(words, pidFile().MatchString) || (slices.ContainsFunc(words, isLastPID) && len(targets) > 0):
						out = append(out, finding(ruleRunScriptExec, Fail, name, l.Line, "the script writes a PID file, tracking a process the process manager already tracks: drop the PID file and start the app with exec"))
					}
				}
			}
			if !execs && len(lines) > 0 {
				out = append(out, finding(ruleRunScriptExec, Fail, name, lines[len(lines)-1].Line, "the script starts the app without exec, so the shell stays in between and does not pass SIGTERM on: start it with exec, as in exec ./server \"$@\""))
			}
		}
		return out
	},
}

// forwardsSignals reports whether a script passes SIGTERM on to the jobs
// it starts in the background and waits for them: a trap on TERM and a
// wait, as in trap 'kill -TERM "$PID"' TERM; app & PID=$!; wait "$PID".
// Such a job gets the signals, and its exit is noticed.
func forwardsSignals(lines []shellLine) bool {
	trap, wait := false, false
	for _, l := range lines {
		for _, c := range l.Cmds {
			words := c.program()
			if len(words) == 0 {
				continue
			}
			switch words[0] {
			case "trap":
				trap = trap || slices.ContainsFunc(words[1:], func(w string) bool { return w == "TERM" || w == "SIGTERM" || w == "15" })
			case "wait":
				wait = true
			}
		}
	}
	return trap && wait
}

// pidFile matches a word that names a PID file.
var pidFile = lazyRegexp(`\.pid\b`)

// isLastPID reports whether w holds $!, the PID of the last background job.
func isLastPID(w string) bool { return strings.Contains(w, "$!") }
