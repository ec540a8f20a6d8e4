package checks

import (
	"fmt"
	"path"
	"strings"
)

// procfileEntry is one line of a Procfile that is not blank or a comment.
type procfileEntry struct {
	Line    int
	Name    string // the process type, before the colon; "" when there is no colon
	Command string // after the colon, or the whole line
}

// procfileEntries returns the entries of a Procfile.
func procfileEntries(lines []string) []procfileEntry {
	var out []procfileEntry
	for i, l := range lines {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		e := procfileEntry{Line: i + 1, Command: strings.TrimSpace(l)}
		if name, cmd, ok := strings.Cut(l, ":"); ok {
			e.Name, e.Command = name, strings.TrimSpace(cmd)
		}
		out = append(out, e)
	}
	return out
}

// isProcfile reports whether a file is a Procfile: Procfile, or Procfile.dev
// and the like, which foreman, honcho and overmind run with -f.
func isProcfile(base string) bool {
	return base == "Procfile" || strings.HasPrefix(base, "Procfile.")
}

func (r *Repo) procfiles() []string { return r.filesWhere(isProcfile) }

// processType matches a valid process type, as Heroku and foreman define it.
var processType = lazyRegexp(`^[A-Za-z0-9_-]+$`)

const ruleProcfile = factorConcurrency + "-procfile"

var procfileFormat = Rule{
	ID:      ruleProcfile,
	Factor:  factorConcurrency,
	Title:   "the Procfile declares each process type as name: command",
	NA:      "there is no Procfile",
	Applies: func(r *Repo) bool { return len(r.procfiles()) > 0 },
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, p := range r.procfiles() {
			entries := procfileEntries(r.lines(p))
			if len(entries) == 0 {
				out = append(out, finding(ruleProcfile, Warn, p, 0, "%s declares no process type: add one line per process type, as in web: ./run-app.sh", path.Base(p)))
			}
			seen := map[string]int{}
			for _, e := range entries {
				var msg string
				switch {
				case e.Name == "" || e.Command == "" || strings.ContainsAny(strings.TrimSpace(e.Name), " \t"):
					msg = `the line is not "name: command", so Procfile runners reject or skip it: write it as a process type, a colon and the command, as in web: ./run-app.sh`
				case !processType().MatchString(e.Name):
					msg = fmt.Sprintf("process type %q is not made only of letters, digits, - and _, so Procfile runners reject it: rename it, as in web", e.Name)
				case seen[e.Name] > 0:
					msg = fmt.Sprintf("process type %s is declared again after line %d, and one of the two is ignored: keep one line per process type", e.Name, seen[e.Name])
				default:
					seen[e.Name] = e.Line
					continue
				}
				out = append(out, finding(ruleProcfile, Warn, p, e.Line, "%s", msg))
			}
		}
		return out
	},
}
