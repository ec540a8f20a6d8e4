package checks

import (
	"path"
	"slices"
	"strings"
)

// Factor XII, admin processes: admin tasks run as one-off processes of the
// app.

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

const ruleAdminProcesses = factorAdminProcesses + "-admin-processes"

var adminProcesses = Rule{
	ID:     ruleAdminProcesses,
	Factor: factorAdminProcesses,
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
					out = append(out, finding(ruleAdminProcesses, Warn, name, line, "%s runs against the fixed host %s, outside the release and its config: make the task a subcommand of the app (as in myapp migrate) that reads the same environment, and run it as a one-off process", path.Base(unquote(words[0])), host))
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
