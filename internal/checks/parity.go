package checks

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Factor X, dev/prod parity: development runs the backing services of
// production.

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

const ruleBackingServiceParity = factorDevProdParity + "-backing-service-parity"

var backingServiceParity = Rule{
	ID:     ruleBackingServiceParity,
	Factor: factorDevProdParity,
	Title:  "development runs the same kinds and versions of backing services as production",
	NA:     "there is no compose file and no .env example",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(isCompose)) > 0 || len(r.filesWhere(isEnvExample)) > 0 || len(r.sqliteDefaults()) > 0 ||
			len(r.envConfigEngines()) > 0 || len(r.notForProduction()) > 0 || len(r.localFallbacks()) > 0
	},
	Check: func(r *Repo) []Finding {
		services, out := r.composeServices()
		for _, s := range r.sqliteDefaults() {
			out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "the app runs SQLite by default, while production runs %s, so development and production run different engines: run the production engine in development too, attached by DATABASE_URL", s.Message))
		}
		for _, s := range r.envConfigEngines() {
			out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "the development config runs SQLite while the production one runs %s, so development and production run different engines: run the production engine in development too", s.Message))
		}
		for _, s := range r.notForProduction() {
			out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "the app's own text says that its database is not for production (%s), so production runs another engine than development: run the production engine everywhere, attached by URL", s.Message))
		}
		for _, s := range r.localFallbacks() {
			out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "the app falls back to %s when its backing service is unreachable, so a machine without the service runs another store than production: run the production service in development too, and fail when it is missing", s.Message))
		}
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
					out = append(out, finding(ruleBackingServiceParity, Warn, v.File, v.Line, "%s is a %s URL here but a %s URL in %s:%d, so development and production run different backing services: run %s everywhere, in a container for development", k, b, a, first.File, first.Line, cmpKind(a, b)))
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
				out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "service %s runs %s here but %s in %s: run the same backing service and major version in every environment", s.Name, s.Image, p.Image, p.File))
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

// serverDBURL matches the URL of a database server: postgres://, mysql://.
var serverDBURL = lazyRegexp(`\b(postgres(?:ql)?|mysql|mariadb)(?:\+\w+)?://`)

// sqliteDefaults returns where the app opens SQLite when it can also use
// a database server, which its manifest, its Go imports, its committed
// config examples or a systemd unit that waits for the server's unit
// name: SQLite then serves development, the server
// production (issue 19: a fallback to another engine is a finding).
func (r *Repo) sqliteDefaults() []Finding {
	sites, serverDB := r.sqliteSites()
	if len(sites) == 0 {
		return nil
	}
	server := "the database server that the app's dependencies name"
	if !serverDB {
		server = ""
		for _, name := range r.Files {
			if !isExample(name) || r.data(name) == nil {
				continue
			}
			for i, l := range r.lines(name) {
				if m := serverDBURL().FindStringSubmatch(l); m != nil {
					server = fmt.Sprintf("%s (%s:%d)", m[1], name, i+1)
					break
				}
			}
			if server != "" {
				break
			}
		}
	}
	if server == "" {
		server = r.unitWaitsForDB()
	}
	var out []Finding
	for _, s := range sites {
		if server != "" {
			out = append(out, Finding{File: s.File, Line: s.Line, Message: server})
		} else if near := r.serverNamedNear(s.File, s.Line); near != "" {
			out = append(out, Finding{File: s.File, Line: s.Line, Message: near})
		}
	}
	return out
}

// unitDBService matches the unit of a database server that another unit
// is ordered after or wants: postgresql.service, mariadb.service.
var unitDBService = lazyRegexp(`\b(postgresql|mysql|mariadb)(?:@[\w.-]*)?\.service\b`)

// unitWaitsForDB returns the database server that one of the app's
// systemd units waits for (After=, Wants=, Requires=, BindsTo=), as
// "postgresql (unit:line)", or "": the server that production runs.
func (r *Repo) unitWaitsForDB() string {
	for _, name := range r.units() {
		for _, e := range unitEntries(r.lines(name)) {
			if e.Section != "Unit" {
				continue
			}
			switch e.Key {
			case "After", "Wants", "Requires", "BindsTo":
				if m := unitDBService().FindStringSubmatch(e.Value); m != nil {
					return fmt.Sprintf("%s (%s:%d)", m[1], name, e.Line)
				}
			}
		}
	}
	return ""
}

// serverDBName matches the name of a database server in prose or settings.
var serverDBName = lazyRegexp(`(?i)\b(postgres(?:ql)?|mysql|mariadb)\b`)

// serverNamedNear returns the database server that the lines around line
// of a file name, as "MySQL (file:line)", or "": the comment or help text
// beside an SQLite default that tells to use a server instead.
func (r *Repo) serverNamedNear(name string, line int) string {
	lines := r.lines(name)
	for i := max(0, line-6); i < min(len(lines), line+5); i++ {
		if m := serverDBName().FindString(lines[i]); m != "" {
			return fmt.Sprintf("%s (%s:%d)", m, name, i+1)
		}
	}
	return ""
}

// envConfigEngines returns where the config file of a development
// environment names SQLite while that of production names a database
// server: config.development.json with better-sqlite3 beside
// config.production.json with mysql.
func (r *Repo) envConfigEngines() []Finding {
	var dev []Finding
	prod := ""
	for _, name := range r.Files {
		if !isEnvConfig(name) || isExamplePath(name) || r.data(name) == nil {
			continue
		}
		b := strings.ToLower(path.Base(name))
		isProd := strings.Contains(b, "prod")
		isDev := !isProd && strings.Contains(b, "dev")
		if !isProd && !isDev {
			continue
		}
		for i, l := range r.lines(name) {
			if isDev && strings.Contains(strings.ToLower(l), "sqlite") {
				dev = append(dev, Finding{File: name, Line: i + 1})
				break
			}
			if m := serverDBName().FindString(l); isProd && m != "" {
				if prod == "" {
					prod = fmt.Sprintf("%s (%s:%d)", m, name, i+1)
				}
				break
			}
		}
	}
	if prod == "" {
		return nil
	}
	for k := range dev {
		dev[k].Message = prod
	}
	return dev
}

// notForProductionDB matches code that says its database is not for
// production: 'DirtyDB is used. This is not recommended for production.'
var notForProductionDB = lazyRegexp(`(?i)(?:\w*db|database|sqlite)\b[^"'\x60]{0,80}\bnot (?:recommended|meant|suitable|intended|supported|safe) (?:for|in) production`)

// notForProduction returns where the app's code warns that the database it
// runs is not for production: development then runs an engine that
// production does not. One site a file.
func (r *Repo) notForProduction() []Finding {
	var out []Finding
	seen := map[string]bool{}
	r.scriptLines(func(name string, line int, code string) {
		if !strings.Contains(code, "production") || seen[name] || isExamplePath(name) || isBrowserCode(name) {
			return
		}
		if m := notForProductionDB().FindString(code); m != "" {
			seen[name] = true
			out = append(out, Finding{File: name, Line: line, Message: m})
		}
	})
	return out
}
