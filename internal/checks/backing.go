package checks

import (
	"bytes"
	"strings"
)

// Factor IV, backing services: attached by URL from the environment, not
// written in the code.

// backingSchemes are the URL schemes of backing services, by kind.
var backingSchemes = map[string]string{
	"postgres": "postgres", "postgresql": "postgres", "postgis": "postgres",
	"mysql": "mysql", "mariadb": "mysql",
	"redis": "redis", "rediss": "redis",
	"mongodb": "mongodb", "mongodb+srv": "mongodb",
	"amqp": "amqp", "amqps": "amqp",
	"nats": "nats", "memcached": "memcached", "kafka": "kafka",
	"clickhouse": "clickhouse", "cassandra": "cassandra",
	"sqlite": "sqlite", "sqlite3": "sqlite",
}

// backingPort matches host:port with a well-known port of backing services.
var backingPort = lazyRegexp(`^[A-Za-z0-9.-]+:(?:5432|3306|6379|27017|5672|9092|11211|4222|9042|8123)$`)

// hasBackingPort reports whether src may hold a backing service's address:
// a cheap test before parsing.
func hasBackingPort(src []byte) bool {
	for _, p := range []string{":5432", ":3306", ":6379", ":27017", ":5672", ":9092", ":11211", ":4222", ":9042", ":8123"} {
		if bytes.Contains(src, []byte(p)) {
			return true
		}
	}
	return false
}

// hasBackingURL reports whether src may hold the URL of a backing service:
// a cheap test before parsing.
func hasBackingURL(src []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("://"))
		if j < 0 {
			return false
		}
		end := i + j
		start := end
		for start > 0 && (src[start-1] >= 'a' && src[start-1] <= 'z' || src[start-1] == '+' || src[start-1] >= '0' && src[start-1] <= '9') {
			start--
		}
		if backingSchemes[string(src[start:end])] != "" {
			return true
		}
		i = end + 3
	}
}

// backingAddress reports whether s is the address of a backing service,
// other than a file (sqlite): postgres://app@db/app, localhost:6379.
func backingAddress(s string) bool {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		kind := backingSchemes[strings.ToLower(scheme)]
		host := rest
		if _, h, ok := strings.Cut(rest, "@"); ok {
			host = h
		}
		// A template builds the address from settings: mongodb://${host}:${port}/.
		templated := strings.HasPrefix(host, "${") || strings.HasPrefix(host, "{{") || strings.HasPrefix(host, "%s") || strings.HasPrefix(host, "{")
		return kind != "" && kind != "sqlite" && rest != "" && !strings.HasPrefix(rest, "/") && !templated
	}
	return backingPort().MatchString(s)
}

// hardCodedBackingServices finds the addresses of backing services in code.
// A default beside an environment read, as in
// os.environ.get("REDIS_URL", "redis://localhost:6379/0"), is allowed when
// it points at this machine: development needs no setting, and every deploy
// sets its own.
const ruleHardCodedBackingServices = factorBackingServices + "-hard-coded-backing-services"

var hardCodedBackingServices = Rule{
	ID:     ruleHardCodedBackingServices,
	Factor: factorBackingServices,
	Title:  "backing services are attached by URL from the environment, not written in the code",
	NA:     "there is no Go, Python or JavaScript code",
	Applies: func(r *Repo) bool {
		return len(r.goFiles()) > 0 || len(r.filesOf(isScriptSource)) > 0
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		add := func(name string, line int, addr string) {
			out = append(out, finding(ruleHardCodedBackingServices, Fail, name, line, "the code names the backing service %s, so another database or cache needs a new build: read its URL from the environment (DATABASE_URL, REDIS_URL)", redact(addr)))
		}
		for _, g := range r.goFiles() {
			for _, s := range g.Literals {
				if backingAddress(s.Value) && !(s.EnvDefault && isLocalHost(backingHost(s.Value))) {
					add(g.Name, s.Line, s.Value)
				}
			}
		}
		sites, serverDB := r.sqliteSites()
		for _, s := range sites {
			switch {
			case s.Fallback && serverDB:
				out = append(out, finding(ruleHardCodedBackingServices, Warn, s.File, s.Line, "the app falls back to an SQLite file when the environment names no database, so development runs another engine than production: require DATABASE_URL, and run the production engine in development too"))
			case !s.Fallback && serverDB:
				out = append(out, finding(ruleHardCodedBackingServices, Warn, s.File, s.Line, "the app can keep its database in an SQLite file beside the database server it also supports, and an SQLite file is no resource attached by URL: drop SQLite, or open it only when DATABASE_URL names it"))
			case !s.Fallback && !serverDB:
				out = append(out, finding(ruleHardCodedBackingServices, Warn, s.File, s.Line, "the app's database is an SQLite file, not a resource attached by URL, so it cannot be swapped or shared without a code change: attach a database server by URL (DATABASE_URL)"))
			}
		}
		for _, s := range r.fileDBSites() {
			out = append(out, finding(ruleHardCodedBackingServices, Warn, s.File, s.Line, "the app's database is %s, files on the local disk, not a resource attached by URL, so it cannot be swapped or shared without a code change: attach a database server by URL (DATABASE_URL)", s.Message))
		}
		for _, name := range r.filesOf(isScriptSource) {
			if !strings.HasSuffix(name, ".py") || isExamplePath(name) {
				continue
			}
			d := r.data(name)
			if !bytes.Contains(d, []byte("DATABASES")) || bytes.Contains(d, []byte("environ")) || bytes.Contains(d, []byte("getenv")) || bytes.Contains(d, []byte("dj_database_url")) {
				continue
			}
			for i, l := range r.lines(name) {
				if m := djangoEngine().FindStringSubmatch(l); m != nil && m[1] != "sqlite3" {
					out = append(out, finding(ruleHardCodedBackingServices, Warn, name, i+1, "the database (%s) is written in the settings, so another database needs a code change: read it from DATABASE_URL, as with dj-database-url", m[1]))
				}
			}
		}
		r.scriptCode(func(name string, line int, code string) {
			if !strings.Contains(code, "://") && !hasBackingPort([]byte(code)) {
				return
			}
			env := strings.Contains(code, "environ") || strings.Contains(code, "getenv") || strings.Contains(code, "process.env")
			for _, s := range stringLiterals(code) {
				if backingAddress(s) && !(env && isLocalHost(backingHost(s))) {
					add(name, line, s)
				}
			}
		})
		return out
	},
}

// djangoEngine matches the database engine of Django's settings.
var djangoEngine = lazyRegexp(`["']ENGINE["']\s*:\s*["']django\.db\.backends\.(\w+)["']`)

// backingHost returns the host of a backing service's address:
// db of postgres://app@db:5432/app, localhost of localhost:6379.
func backingHost(s string) string {
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
		if _, host, ok := strings.Cut(s, "@"); ok {
			s = host
		}
		s, _, _ = strings.Cut(s, "/")
	}
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	return s
}

// redact hides the password of a URL: postgres://app:…@db/app.
func redact(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	userinfo, host, at := strings.Cut(rest, "@")
	if !ok || !at {
		return s
	}
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return scheme + "://" + user + ":…@" + host
	}
	return s
}
