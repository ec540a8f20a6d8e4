package checks

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Factor III: config in the environment. Factor IV: backing services as
// attached resources.

func hasFiles(r *Repo) bool { return len(r.Files) > 0 }

// isEnvFile reports whether a file is a dotenv file that holds real values:
// .env, .env.production; not .env.example and the like.
func isEnvFile(name string) bool {
	b := path.Base(name)
	return (b == ".env" || strings.HasPrefix(b, ".env.")) && !isExample(name) && !strings.HasSuffix(b, ".defaults")
}

var envFiles = Rule{
	ID:      "III-env-files",
	Factor:  "III",
	Title:   "no .env file with real values is committed",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesOf(isEnvFile) {
			if line := placeholdersOnly(append(r.files[name].secrets, assignedSecrets(name, r.data(name))...)); line > 0 {
				out = append(out, finding("III-env-files", Warn, name, line, "%s is committed with placeholders for its secrets, which the app runs with if nobody replaces them: rename it .env.example, list .env in .gitignore, and refuse to start while a secret is a placeholder", path.Base(name)))
				continue
			}
			out = append(out, finding("III-env-files", Fail, name, 0, "%s is committed, and with it the config (often secrets) of one environment: remove it with git rm --cached %s, list it in .gitignore, and commit a .env.example with placeholders instead", path.Base(name), name))
		}
		return out
	},
}

// placeholdersOnly returns the line of the first secret of a .env file
// when every secret it holds is a placeholder (SECRET_KEY=changeme), and 0
// when it holds a real one or none.
func placeholdersOnly(found []secret) int {
	line := 0
	for _, s := range found {
		if !s.Placeholder {
			return 0
		}
		if line == 0 {
			line = s.Line
		}
	}
	return line
}

// envConfig matches the name of a configuration file for one environment:
// production.yml, settings_prod.py, config.staging.json, application-dev.properties.
var envConfig = lazy(`^((?:config|settings|application|app|appsettings|conf|environment|env|secrets|database|db)[._-])?(?:prod|production|staging|stage|dev|development|qa|uat|preprod)\.(?:ya?ml|json|toml|ini|cfg|conf|properties|py|js|ts|rb|php|xml)$`)

// isEnvConfig reports whether a file is the configuration of one
// environment. Code named after an environment (dev.js, prod.py) counts only
// in a configuration folder: config/production.js, settings/prod.py.
func isEnvConfig(name string) bool {
	b := strings.ToLower(path.Base(name))
	m := envConfig.FindStringSubmatch(b)
	if m == nil {
		return false
	}
	switch path.Ext(b) {
	case ".py", ".js", ".ts", ".rb", ".php":
		dir := path.Base(path.Dir(name))
		return m[1] != "" || dir == "config" || dir == "settings" || dir == "environments" || dir == "conf"
	}
	return true
}

var perEnvironmentConfig = Rule{
	ID:      "III-per-environment-config",
	Factor:  "III",
	Title:   "config is not kept in one file per environment",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesOf(isEnvConfig) {
			out = append(out, finding("III-per-environment-config", Warn, name, 0, "%s holds the config of one named environment, and each new deploy needs another such file: read each setting from an environment variable, with a default for development", path.Base(name)))
		}
		for _, name := range r.filesOf(isYAMLConfig) {
			if line, envs := envSections(r.lines(name)); len(envs) >= 2 {
				out = append(out, finding("III-per-environment-config", Warn, name, line, "%s keeps one section of config per named environment (%s), and each new deploy needs another section: read each setting from an environment variable, with a default for development", path.Base(name), strings.Join(envs, ", ")))
			}
		}
		return out
	},
}

// isYAMLConfig reports whether a file is YAML configuration of the app: not
// a compose file, CI, a Kubernetes manifest folder or a test.
func isYAMLConfig(name string) bool {
	b := strings.ToLower(path.Base(name))
	if !strings.HasSuffix(b, ".yml") && !strings.HasSuffix(b, ".yaml") || isCompose(b) || isExample(name) || isExamplePath(name) {
		return false
	}
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case ".github", ".gitlab", ".circleci", "k8s", "kubernetes", "helm", "charts", "deploy", "kustomize", "manifests":
			return false
		}
	}
	return b != ".gitlab-ci.yml" && b != ".travis.yml" && b != ".golangci.yml" && b != ".golangci.yaml" && !strings.HasPrefix(b, ".goreleaser") && b != "pnpm-lock.yaml"
}

// envNames are the names of environments that config files keep sections for.
var envNames = []string{"local", "dev", "development", "test", "testing", "staging", "stage", "prod", "production", "qa", "uat", "preprod"}

// envSections returns the top-level keys of a YAML file that name
// environments, and the line of the first.
func envSections(lines []string) (int, []string) {
	first, envs := 0, []string(nil)
	for i, l := range lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '-' {
			continue
		}
		key, _, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		if slices.Contains(envNames, strings.ToLower(strings.Trim(strings.TrimSpace(key), `"'`))) {
			if first == 0 {
				first = i + 1
			}
			envs = append(envs, strings.TrimSpace(key))
		}
	}
	return first, envs
}

var secrets = Rule{
	ID:      "III-secrets",
	Factor:  "III",
	Title:   "no secret is committed: private keys, cloud access keys, passwords in URLs",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.Files {
			for _, s := range r.files[name].secrets {
				switch {
				case s.Placeholder:
					out = append(out, finding("III-secrets", Warn, name, s.Line, "%s is a placeholder that the app runs with until someone replaces it: read the secret from the environment and refuse to start without it", s.What))
				case s.Default:
					out = append(out, finding("III-secrets", Fail, name, s.Line, "%s is used when the environment lacks the secret, so every deploy that forgets it shares one committed secret: drop the default and refuse to start without the variable", s.What))
				default:
					out = append(out, finding("III-secrets", Fail, name, s.Line, "%s is committed, readable by everyone with the code: revoke it, remove it from the repository and read it from the environment (or a *_FILE secret) at run time", s.What))
				}
			}
		}
		return out
	},
}

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
var backingPort = lazy(`^[A-Za-z0-9.-]+:(?:5432|3306|6379|27017|5672|9092|11211|4222|9042|8123)$`)

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
	return backingPort.MatchString(s)
}

// stringLiterals returns the string literals of a line of Python or
// JavaScript: "a", 'b', `c`, without their quotes.
func stringLiterals(line string) []string {
	var out []string
	for i := 0; i < len(line); i++ {
		q := line[i]
		if q != '"' && q != '\'' && q != '`' {
			continue
		}
		var b strings.Builder
		j := i + 1
		for ; j < len(line) && line[j] != q; j++ {
			if line[j] == '\\' && j+1 < len(line) {
				j++
			}
			b.WriteByte(line[j])
		}
		if j < len(line) {
			out = append(out, b.String())
		}
		i = j
	}
	return out
}

// isScriptSource reports whether a file is Python or JavaScript code of the app,
// not a test.
func isScriptSource(name string) bool {
	switch path.Ext(name) {
	case ".py", ".js", ".mjs", ".cjs", ".ts":
		return !isExample(name)
	}
	return false
}

// scriptLines calls fn with each line of Python and JavaScript code, but
// blank lines and comments, trimmed.
func (r *Repo) scriptLines(fn func(name string, line int, code string)) {
	for _, name := range r.filesOf(isScriptSource) {
		for i, l := range r.lines(name) {
			t := strings.TrimSpace(l)
			if t == "" || t[0] == '#' || t[0] == '*' || strings.HasPrefix(t, "//") {
				continue
			}
			fn(name, i+1, t)
		}
	}
}

// hardCodedBackingServices finds the addresses of backing services in code.
// A default beside an environment read, as in
// os.environ.get("REDIS_URL", "redis://localhost:6379/0"), is allowed when
// it points at this machine: development needs no setting, and every deploy
// sets its own.
var hardCodedBackingServices = Rule{
	ID:     "IV-hard-coded-backing-services",
	Factor: "IV",
	Title:  "backing services are attached by URL from the environment, not written in the code",
	NA:     "there is no Go, Python or JavaScript code",
	Applies: func(r *Repo) bool {
		return len(r.goFiles()) > 0 || len(r.filesOf(isScriptSource)) > 0
	},
	Check: func(r *Repo) []Finding {
		var out []Finding
		add := func(name string, line int, addr string) {
			out = append(out, finding("IV-hard-coded-backing-services", Fail, name, line, "the code names the backing service %s, so another database or cache needs a new build: read its URL from the environment (DATABASE_URL, REDIS_URL)", redact(addr)))
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
				out = append(out, finding("IV-hard-coded-backing-services", Warn, s.File, s.Line, "the app falls back to an SQLite file when the environment names no database, so development runs another engine than production: require DATABASE_URL, and run the production engine in development too"))
			case !s.Fallback && !serverDB:
				out = append(out, finding("IV-hard-coded-backing-services", Warn, s.File, s.Line, "the app's database is an SQLite file, not a resource attached by URL, so it cannot be swapped or shared without a code change: attach a database server by URL (DATABASE_URL)"))
			}
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
				if m := djangoEngine.FindStringSubmatch(l); m != nil && m[1] != "sqlite3" {
					out = append(out, finding("IV-hard-coded-backing-services", Warn, name, i+1, "the database (%s) is written in the settings, so another database needs a code change: read it from DATABASE_URL, as with dj-database-url", m[1]))
				}
			}
		}
		r.scriptLines(func(name string, line int, code string) {
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
var djangoEngine = lazy(`["']ENGINE["']\s*:\s*["']django\.db\.backends\.(\w+)["']`)

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
