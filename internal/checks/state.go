package checks

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// Factor VI, processes, as the code shows it: the state a process keeps on
// its local disk or in its memory (PID files, SQLite files, uploads,
// sessions), which other instances cannot see and a restart loses.

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
var pyState = lazyRegexp(`["'][^"']*\.pid["']|SESSION_TYPE\s*=\s*["']filesystem["']|SESSION_ENGINE\s*=\s*["']django\.contrib\.sessions\.backends\.file["']`)

// isPIDPath reports whether s is the path of a PID file: app.pid,
// /run/app/app.pid; not the sysctl name kern.proc.pid.
func isPIDPath(s string) bool {
	base := path.Base(s)
	return strings.HasSuffix(base, ".pid") && !strings.HasPrefix(base, ".") && !strings.ContainsAny(s, " \t\n") &&
		(strings.Contains(s, "/") || strings.Count(base, ".") == 1)
}

const ruleLocalState = factorProcesses + "-local-state"

var localState = Rule{
	ID:      ruleLocalState,
	Factor:  factorProcesses,
	Title:   "processes keep no state on the local disk: no PID files, sessions or databases",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesWhere(isStateFile) {
			out = append(out, finding(ruleLocalState, Warn, name, 0, "%s is the local state of a process, committed with the code: remove it, and keep such state in a backing service (a database, a cache)", path.Base(name)))
		}
		for _, g := range r.goFiles() {
			for _, s := range g.Literals {
				if isPIDPath(s.Value) {
					out = append(out, finding(ruleLocalState, Fail, g.Name, s.Line, "the program writes the PID file %s, which the next process on another machine cannot see: let the process manager track the process and drop the PID file", s.Value))
				}
			}
		}
		r.scriptLines(func(name string, line int, code string) {
			if !strings.Contains(code, ".pid") && !strings.Contains(code, "SESSION_") || !strings.HasSuffix(name, ".py") {
				return
			}
			switch m := pyState().FindString(code); {
			case strings.HasSuffix(m, `.pid"`) || strings.HasSuffix(m, ".pid'"):
				out = append(out, finding(ruleLocalState, Fail, name, line, "the program keeps the PID file %s, which the next process on another machine cannot see: let the process manager track the process and drop the PID file", m))
			case m != "":
				out = append(out, finding(ruleLocalState, Fail, name, line, "%s keeps state on the local disk, lost when the process moves and not shared with the others: keep sessions and state in a backing service (a database, a cache)", m))
			}
		})
		for _, m := range r.memoryStores() {
			out = append(out, finding(ruleLocalState, Warn, m.File, m.Line, "%s keeps sessions or cached data in the process's memory, which other instances cannot see and a restart loses: keep them in a backing service (Redis, Memcached, the database)", m.Message))
		}
		sites, _ := r.sqliteSites()
		for _, s := range sites {
			if !s.Fallback {
				out = append(out, finding(ruleLocalState, Warn, s.File, s.Line, "the app keeps its data in an SQLite file on the local disk, which other instances cannot see and a new host starts without: keep it in a database server attached by URL (DATABASE_URL)"))
			}
		}
		for _, s := range r.fileDBSites() {
			out = append(out, finding(ruleLocalState, Warn, s.File, s.Line, "the app keeps its data in %s, a database of files on the local disk, which other instances cannot see and a new host starts without: keep it in a database server attached by URL (DATABASE_URL)", s.Message))
		}
		for _, s := range r.localStores() {
			out = append(out, finding(ruleLocalState, Warn, s.File, s.Line, "%s, where other instances cannot see it and a new host starts without it: keep it in a backing service (an object store, a database, a search server) named by the environment", s.Message))
		}
		for _, s := range r.localFallbacks() {
			out = append(out, finding(ruleLocalState, Warn, s.File, s.Line, "the app says it falls back to %s when its backing service is unreachable, keeping data that other instances cannot see and a restart or a new host loses: fail instead, and let the platform restart the process until the service is back", s.Message))
		}
		for _, u := range r.localUploads() {
			out = append(out, finding(ruleLocalState, Warn, u.File, u.Line, "uploaded files are kept on the local disk (%s), where other instances cannot serve them and a new release loses them: store them in an object store (S3, GCS) or a shared volume named by the environment", u.Message))
		}
		for _, name := range r.units() {
			for _, e := range unitEntries(r.lines(name)) {
				if e.Section == "Service" && e.Key == "PIDFile" {
					out = append(out, finding(ruleLocalState, Fail, name, e.Line, "the setting PIDFile= makes the service fork and track itself with a PID file: run it in the foreground with Type=exec and drop PIDFile="))
				}
			}
		}
		return out
	},
}

var (
	// scriptSQLite matches Python and JavaScript that open an SQLite
	// database: Django's sqlite3 backend, an sqlite:/// URL, a bare
	// sqlite:// URL given as a default or value (not compared with),
	// sqlite3.connect, the sqlite3 and better-sqlite3 packages,
	// node:sqlite.
	scriptSQLite = lazyRegexp(`django\.db\.backends\.sqlite3|["']sqlite(?:\+\w+)?:///|(?:,|[^=!<>]=|\bor)\s*["']sqlite(?:\+\w+)?://["']|\bsqlite3\.connect\(|require\(\s*["'](?:sqlite3|better-sqlite3|node:sqlite)["']\s*\)|from\s+["'](?:sqlite3|better-sqlite3|node:sqlite)["']`)
	// scriptUploads matches Python and JavaScript that keep uploads in a
	// local folder: UPLOAD_FOLDER = "...", MEDIA_ROOT = ..., a storage
	// directory, Werkzeug's file.save(os.path.join(...)), multer's dest or
	// diskStorage, express-fileupload's mv.
	scriptUploads = lazyRegexp(`^(?:[A-Z_]*UPLOAD[A-Z_]*(?:DIR|FOLDER|PATH|ROOT)|MEDIA_ROOT|[A-Z_]*STORAGE_[A-Z_]*(?:DIR|DIRECTORY|FOLDER|PATH|ROOT))\s*=\s*[^\s]|\.save\(\s*os\.path\.join\(|multer\(\s*\{[^}]*\bdest\s*:|multer\.diskStorage\(|\.mv\(\s*[\x60'"]?[^,)]*upload`)
)

// serverDBPackage matches, in a manifest, a driver of a database server.
var serverDBPackage = lazyRegexp(`(?m)^\s*["']?(?:psycopg2?(?:-binary)?|psycopg\[|asyncpg|mysqlclient|pymysql|mysql-connector-python|pg|pg-promise|mysql2?|mongodb|mongoose|github\.com/lib/pq|github\.com/jackc/pgx(?:/v[0-9]+)?|github\.com/go-sql-driver/mysql|gorm\.io/driver/(?:postgres|mysql))["']?\s*(?:[=<>~!:\[ ]|$)`)

// configSQLite matches a setting of a config file whose value is an SQLite
// URL: url: sqlite:///$DATA_DIR/app.db, database_url = "sqlite:///app.db".
var configSQLite = lazyRegexp(`^\s*["']?[\w.-]+["']?\s*[:=]\s*["']?sqlite(?:\+\w+)?:///`)

// isConfigFile reports whether a file is a config file that an app loads:
// INI style (app.cfg, app.conf, app.ini), YAML or TOML.
func isConfigFile(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yml", ".yaml", ".toml":
		return true
	}
	return isINIConfig(name)
}

// sqliteSite is where the app opens an SQLite database.
type sqliteSite struct {
	File     string
	Line     int
	Fallback bool // the same line reads the environment: DATABASE_URL or "sqlite:///"
}

// isMigrationPath reports whether a file is a schema migration
// (migrations/0002_x.py, schema/migration/sqlite/2017.py): a migration
// that opens SQLite says the app supports it, not that it keeps its data
// there; the setting that picks the database does.
func isMigrationPath(name string) bool {
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case "migration", "migrations", "alembic":
			return true
		}
	}
	return false
}

// sqliteSites returns where the app keeps its data in SQLite: Go that
// imports an SQLite driver in a repository with a func main, and Python or
// JavaScript that opens an SQLite database. serverDB is true when the app
// can also use a database server.
func (r *Repo) sqliteSites() (sites []sqliteSite, serverDB bool) {
	r.sqliteOnce.Do(func() { r.sqlite, r.sqliteServer = r.findSQLiteSites() })
	return r.sqlite, r.sqliteServer
}

func (r *Repo) findSQLiteSites() (sites []sqliteSite, serverDB bool) {
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			if g.SQLite > 0 && !isExamplePath(g.Name) && !isMigrationPath(g.Name) {
				sites = append(sites, sqliteSite{File: g.Name, Line: g.SQLite})
			}
			serverDB = serverDB || g.ServerDB
		}
	}
	for _, name := range r.filesWhere(func(b string) bool {
		return b == "package.json" || b == "pyproject.toml" || b == "Pipfile" || b == "setup.py" || b == "go.mod" || isRequirements(b)
	}) {
		if serverDBPackage().Match(r.data(name)) {
			serverDB = true
		}
	}
	for _, name := range r.filesOf(isConfigFile) {
		if isExample(name) || isExamplePath(name) || isDevConfig(path.Base(name)) || !bytes.Contains(r.data(name), []byte("sqlite")) {
			continue
		}
		for i, l := range r.lines(name) {
			if configSQLite().MatchString(l) {
				sites = append(sites, sqliteSite{File: name, Line: i + 1})
			}
		}
	}
	r.scriptLines(func(name string, line int, code string) {
		if !strings.Contains(code, "sqlite") || isExamplePath(name) || isMigrationPath(name) {
			return
		}
		if scriptSQLite().MatchString(code) {
			env := strings.Contains(code, "environ") || strings.Contains(code, "getenv") || strings.Contains(code, "process.env")
			sites = append(sites, sqliteSite{File: name, Line: line, Fallback: env})
		}
	})
	return sites, serverDB
}

// scriptFileDB matches Python and JavaScript that open an embedded
// database kept in local files: lowdb's file adapters, NeDB, LokiJS,
// LevelDB, TinyDB, shelve; or a database type setting that picks one by
// default, as ueberDB's dbType = 'dirty' does.
var scriptFileDB = lazyRegexp(`(?:require\(\s*|from\s+)["']((?:lowdb|nedb|@seald-io/nedb|lokijs|level|classic-level|leveldown)(?:/[^"']*)?)["']|^(?:from|import)\s+(tinydb|shelve|pickledb)\b|(?i:\bdb_?type)["']?\s*[:=]\s*["'](dirty|leveldb|nedb|lowdb|tinydb|rusty)["']`)

// fileDBSites returns where the app keeps its data in an embedded
// database of local files: Go's bbolt, badger or goleveldb in a program,
// lowdb or NeDB in JavaScript, TinyDB or shelve in Python. One site a file.
func (r *Repo) fileDBSites() []Finding {
	var out []Finding
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			if g.FileDB.Line > 0 && !isExamplePath(g.Name) {
				out = append(out, Finding{File: g.Name, Line: g.FileDB.Line, Message: g.FileDB.Value})
			}
		}
	}
	seen := map[string]bool{}
	r.scriptLines(func(name string, line int, code string) {
		if !strings.Contains(code, "db") && !strings.Contains(code, "level") && !strings.Contains(code, "shelve") && !strings.Contains(code, "loki") ||
			seen[name] || isExamplePath(name) || isBrowserCode(name) { // the paths last: most lines fail the words
			return
		}
		if m := scriptFileDB().FindStringSubmatch(code); m != nil {
			seen[name] = true
			msg := m[1] + m[2]
			if m[3] != "" {
				msg = fmt.Sprintf("the %q store", m[3])
			}
			out = append(out, Finding{File: name, Line: line, Message: msg})
		}
	})
	return out
}

var (
	// jsUploadPath matches JavaScript that builds the local path an
	// upload is written to: uploadPath = path.join(base, 'uploads', name).
	jsUploadPath = lazyRegexp(`\bupload(?:_?[Pp]ath|_?[Dd]ir|_?[Ff]older|_?[Dd]estination)\s*=\s*path\.(?:join|resolve)\(`)
	// jsWritesFile matches JavaScript that writes a file with node:fs.
	jsWritesFile = lazyRegexp(`\b(?:createWriteStream|writeFile(?:Sync)?|rename(?:Sync)?|copyFile(?:Sync)?)\(`)
)

// localUploads returns where the app saves uploaded files to its local
// disk; in JavaScript, the first path built for an upload in a file that
// writes files.
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
	for _, name := range r.filesOf(isScriptSource) {
		if strings.HasSuffix(name, ".py") || isExamplePath(name) || isBrowserCode(name) {
			continue
		}
		d := r.data(name)
		if !bytes.Contains(d, []byte("pload")) || !jsWritesFile().Match(d) {
			continue
		}
		for i, l := range r.lines(name) {
			if m := jsUploadPath().FindString(l); m != "" && !strings.Contains(l, "process.env") {
				out = append(out, Finding{File: name, Line: i + 1, Message: m + "...)"})
				break
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
		if m := scriptUploads().FindString(code); m != "" && !strings.Contains(code, "environ") && !strings.Contains(code, "process.env") {
			out = append(out, Finding{File: name, Line: line, Message: strings.TrimSpace(m)})
		}
	})
	return out
}

// localFallback matches the app's own words that it keeps its data on the
// local disk or in memory when its backing service is away: "Falling back
// to file system storage", "falls back to an in-memory store".
var localFallback = lazyRegexp(`(?i)\bfall(?:s|ing)?\s?back\s+to\s+(?:an?\s+|the\s+)?(?:local\s+)?((?:file\s?system|disk|local|files?|memory|in-memory)\s+(?:storage|store|db|database|cache|backend))\b`)

// localFallbacks returns where the app's code says it keeps its data
// locally when its backing service is unreachable, as its log message
// tells the operator. One site a file; tests, examples and browser code
// are not the app.
func (r *Repo) localFallbacks() []Finding {
	r.fallbackOnce.Do(func() { r.fallbacks = r.findLocalFallbacks() })
	return r.fallbacks
}

func (r *Repo) findLocalFallbacks() []Finding {
	var out []Finding
	for _, name := range r.filesOf(isScriptSource) {
		if !bytes.Contains(r.data(name), []byte("back to")) || isExamplePath(name) || isExample(name) || isBrowserCode(name) {
			continue
		}
		for i, l := range r.lines(name) {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "*") {
				continue
			}
			if m := localFallback().FindStringSubmatch(l); m != nil {
				out = append(out, Finding{File: name, Line: i + 1, Message: m[1]})
				break
			}
		}
	}
	return out
}

// pyMemoryStore matches Python settings that keep sessions or a cache in
// the process: Django's LocMemCache, Flask-Caching's SimpleCache.
var pyMemoryStore = lazyRegexp(`django\.core\.cache\.backends\.locmem\.LocMemCache|CACHE_TYPE["']?\s*[:=]\s*["'](?:SimpleCache|simple|flask_caching\.backends\.SimpleCache)["']`)

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
				if m := pyMemoryStore().FindString(l); m != "" {
					out = append(out, Finding{File: name, Line: i + 1, Message: m})
				}
			} else if strings.Contains(l, "session({") || strings.Contains(l, "session( {") {
				out = append(out, Finding{File: name, Line: i + 1, Message: "express-session without a store"})
			}
		}
	}
	return out
}

// localStorage matches a setting that keeps the app's data in files on the
// local disk: INBUCKET_STORAGE_TYPE=file, STORAGE = 'filesystem',
// storage_driver: local.
var localStorage = lazyRegexp(`(?i)^\s*(?:ENV\s+|export\s+|-\s+)?["']?(?:[a-z0-9_.]*[_.])?(?:storage|store)(?:[_.-]?(?:type|backend|driver|kind|engine))?["']?\s*[=:]\s*["']?(?:file|files|filesystem|fs|local|disk)["']?\s*,?\s*$`)

// localDataDir matches a setting that keeps the app's data in a folder on
// the local disk: storage: ./storage, filesystem_folder = /var/lib/app,
// DATA_DIR=/data.
var localDataDir = lazyRegexp(`(?i)^\s*(?:ENV\s+|export\s+|-\s+)?["']?(?:[a-z0-9_.-]*[_.-])?(?:storage|(?:storage|data|filesystem|files|uploads?|media)[_.-]?(?:dir|directory|folder|path|root))["']?\s*[=:]\s*["']?((?:\.{1,2}/|/|~/)[^\s"',]*|[a-z0-9_-]+/)["']?\s*,?\s*$`)

// dataSections are the sections of an INI config whose folder setting
// says where the app keeps its data: [database] path = /var/lib/app.
var dataSections = map[string]bool{"database": true, "storage": true, "data": true, "attachment": true, "attachments": true, "filestore": true, "media": true, "upload": true, "uploads": true}

// iniDataPath matches a folder setting of such a section whose value is a
// local path: path = /var/lib/app, dir = ./data.
var iniDataPath = lazyRegexp(`(?i)^\s*(?:path|dir|directory|folder|root)\s*[=:]\s*["']?((?:\.{1,2}/|/|~/)[^\s"']*)["']?\s*$`)

// localSearchIndex matches a search engine that keeps its index in a local
// folder: Django Haystack's Whoosh and Xapian backends.
var localSearchIndex = lazyRegexp(`haystack\.backends\.(?:whoosh|xapian)_backend`)

// localStores returns where a setting keeps the app's data in local files:
// a storage backend set to the file system in a config file, a Dockerfile's
// ENV or a dotenv file, the folder of an INI config's [database] or
// [storage] section, and search indexes kept in a local folder.
func (r *Repo) localStores() []Finding {
	var out []Finding
	if len(r.mains()) > 0 {
		for _, g := range r.goFiles() {
			for _, dir := range g.DataDirs {
				if !isExamplePath(g.Name) {
					out = append(out, Finding{File: g.Name, Line: dir.Line, Message: "the flag " + dir.Value + ", which keeps the app's data in a folder on the local disk"})
				}
			}
		}
	}
	for _, name := range r.Files {
		d := r.data(name)
		if d == nil || !r.ofApp(name) || isExample(name) || isBrowserCode(name) {
			continue
		}
		settings := isSettings(name)
		storage := settings && (bytes.Contains(d, []byte("stor")) || bytes.Contains(d, []byte("STOR")))
		dirs := settings && !strings.HasSuffix(name, ".py") // Python's STORAGE_DIR = ... is an upload folder (scriptUploads)
		search := strings.HasSuffix(name, ".py") && bytes.Contains(d, []byte("haystack.backends."))
		if !storage && !dirs && !search {
			continue
		}
		ini := isINIConfig(name)
		section := ""
		for i, l := range r.lines(name) {
			if ini {
				l = commentedDefault(l)
				if t := strings.TrimSpace(l); strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
					section = strings.ToLower(strings.Trim(t, "[] "))
				} else if dirs && dataSections[section] && len(l) < 200 {
					if m := iniDataPath().FindStringSubmatch(l); m != nil && path.Ext(m[1]) == "" {
						out = append(out, Finding{File: name, Line: i + 1, Message: "the setting " + strings.TrimSpace(l) + " of [" + section + "] keeps the app's data in a folder on the local disk"})
						continue
					}
				}
			}
			if storage && len(l) < 200 && (strings.Contains(l, "stor") || strings.Contains(l, "STOR")) && localStorage().MatchString(l) {
				out = append(out, Finding{File: name, Line: i + 1, Message: "the setting " + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "ENV ")) + " keeps the app's data in local files"})
			} else if m := localDataDir().FindStringSubmatch(l); dirs && len(l) < 200 && strings.Contains(l, "/") && m != nil && path.Ext(m[1]) == "" {
				// a folder: storage=/letsencrypt/acme.json names a file
				out = append(out, Finding{File: name, Line: i + 1, Message: "the setting " + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "ENV ")) + " keeps the app's data in a folder on the local disk"})
			}
			if search {
				if m := localSearchIndex().FindString(l); m != "" {
					out = append(out, Finding{File: name, Line: i + 1, Message: m + " keeps the search index in a local folder"})
				}
			}
		}
	}
	return out
}

// isSettings reports whether a file may hold the app's settings: config
// files, dotenv files, Dockerfiles (ENV), Python modules (Django's
// settings.py), and JavaScript files named for config.
func isSettings(name string) bool {
	b := strings.ToLower(path.Base(name))
	switch path.Ext(b) {
	case ".yml", ".yaml", ".toml", ".ini", ".conf", ".cfg", ".env", ".py":
		return true
	case "":
		return isINIConfig(name) || strings.HasPrefix(b, ".env") || isDockerfile(path.Base(name))
	case ".js", ".ts", ".json":
		return strings.Contains(b, "config") || strings.Contains(b, "settings")
	}
	return strings.HasPrefix(b, ".env") || isDockerfile(path.Base(name))
}
