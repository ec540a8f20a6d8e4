package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFindSecrets(t *testing.T) {
	for in, want := range map[string]int{
		"-----BEGIN OPENSSH PRIVATE KEY-----":                         1,
		"-----BEGIN EC PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----": 2,
		"-----BEGIN PUBLIC KEY-----":                                  0,
		"key: AKIAZ7Q3KRMB5XN2WDLE":                                   1,
		"key: AKIAIOSFODNN7EXAMPLE":                                   0,
		"url = redis://:s3cr3t-value@cache.internal:6379/0":           0, // no user: the regular expression wants one
		"url = amqp://app:s3cr3t-value@mq.internal/":                  1,
		"url = postgres://app:${DB_PASSWORD}@db/app":                  0,
		"url = postgres://app:<password>@db/app":                      0,
		"url = postgres://app:app@db/app":                             0,
		"url = postgres://app:password@db.internal/app":               0,
		"url = postgres://app:s3cr3t-value@localhost/app":             0,
		"see http://user:p@ssword@host for the syntax":                0,
	} {
		if got := len(findSecrets("config.yaml", []byte(in))); got != want {
			t.Errorf("%q: %d secrets, want %d", in, got, want)
		}
	}
	if got := findSecrets("config_test.go", []byte("AKIAZ7Q3KRMB5XN2WDLE")); got != nil {
		t.Errorf("a test file: %v", got)
	}
	if got := findSecrets("a.txt", []byte("x\n\ny AKIAZ7Q3KRMB5XN2WDLE")); len(got) != 1 || got[0].Line != 3 {
		t.Errorf("line: %v", got)
	}
	// So is one in a Go comment; the same URL in a Go string is used.
	goSrc := "package db\n\n// A URL such as postgres://app:s3cr3t-value@db.internal/app parses so.\nconst dsn = \"postgres://app:s3cr3t-value@db.internal/app\"\n"
	if got := findSecrets("db/db.go", []byte(goSrc)); len(got) != 1 || got[0].Line != 4 {
		t.Errorf("a Go comment and a Go string: %v, want the string's, line 4", got)
	}
	// A URL in a help text is an example for the reader (issue 19); the
	// same URL in code is used.
	help := "longdesc = textwrap.dedent(\"\"\"\n    To use MySQL instead:\n      --db='mysql://bb:bbpw7@dbhost/bb'\n    \"\"\")\nDB = 'mysql://bb:bbpw7@dbhost/bb'\n"
	if got := findSecrets("app/runner.py", []byte(help)); len(got) != 1 || got[0].Line != 5 {
		t.Errorf("help text: %v, want one secret at line 5", got)
	}
}

func TestPyTextLines(t *testing.T) {
	src := []string{
		`def f():`,
		`    """One line."""`,
		`    x = 1  # """ in a comment`,
		`    help = ("""`,
		`    mysql://u:p@db/x`,
		`    """)`,
		`    y = """b`,
		`c"""`,
		`z = 2`,
	}
	want := []bool{false, false, false, false, true, true, false, true, false}
	if got := pyTextLines(src); !slices.Equal(got, want) {
		t.Errorf("pyTextLines = %v, want %v", got, want)
	}
}

func TestBackingAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://app@db/app":      true,
		"redis://localhost:6379/0":   true,
		"mongodb+srv://cluster0.x":   true,
		"db.internal:5432":           true,
		"localhost:6379":             true,
		":5432":                      false, // no host: an address to listen on
		"sqlite:///app.db":           false,
		"postgres:///app":            false, // a local socket, no host
		"https://example.com":        false,
		"localhost:8080":             false,
		"SELECT 1 FROM t WHERE a=:1": false,
		"mongodb://${login}${infos.server}:${infos.port}/${infos.dbName}": false, // a template of settings
		"postgres://{{.User}}@{{.Host}}/app":                              false,
	} {
		if got := backingAddress(s); got != want {
			t.Errorf("backingAddress(%q) = %v", s, got)
		}
	}
}

func TestIsListenAddr(t *testing.T) {
	for s, want := range map[string]bool{":8080": true, "0.0.0.0:80": true, "[::1]:8443": true, "127.0.0.1:0": false, "": false, "tcp": false, "http://x:80": false} {
		if got := isListenAddr(s); got != want {
			t.Errorf("isListenAddr(%q) = %v", s, got)
		}
	}
}

func TestParseGo(t *testing.T) {
	g := parseGo("main.go", []byte(`package main

import (
	"fmt"
	h "net/http"
	"os/signal"
	"runtime/debug"
	"syscall"
)

type cfg struct {
	DB string `+"`env:\"DB\" envDefault:\"postgres://db/app\"`"+`
}

func main() {
	signal.Notify(nil, syscall.SIGTERM)
	debug.ReadBuildInfo()
	fmt.Println("x")
	h.ListenAndServe(":80", nil)
	srv := &h.Server{Addr: addr()}
	srv.Serve(nil)
}
`))
	if !g.Main || !g.SIGTERM || !g.ReadBuildInfo || !g.Imports["net/http"] {
		t.Errorf("facts: %+v", g)
	}
	if !slices.Equal(g.Prints, []int{18}) {
		t.Errorf("Prints = %v", g.Prints)
	}
	want := []goListen{{19, "http.ListenAndServe", ":80"}, {20, "http.Server", ""}, {21, "Serve", ""}}
	if !slices.Equal(g.Listens, want) {
		t.Errorf("Listens = %v, want %v", g.Listens, want)
	}
	for _, s := range g.Literals {
		if s.Value == "postgres://db/app" {
			t.Error("a struct tag's value counted as a literal")
		}
	}
	if g := parseGo("a.go", []byte("package a\n\nimport \"os/signal\"\n\nfunc f() { signal.Notify(c) }\n")); !g.SIGTERM {
		t.Error("signal.Notify(c) relays every signal, SIGTERM too")
	}
	if g := parseGo("a.go", []byte("package a\n\nimport \"os/signal\"\n\nfunc f() { signal.Notify(c, os.Interrupt) }\n")); g.SIGTERM {
		t.Error("signal.Notify(c, os.Interrupt) does not relay SIGTERM")
	}
	// A file that imports nothing of interest is not parsed further.
	if g := parseGo("x.go", []byte("package x\n\nfunc f() { println(\"a\") }\n")); len(g.Prints) != 0 {
		t.Errorf("x.go: %+v", g)
	}
}

func TestLdflagsX(t *testing.T) {
	for s, want := range map[string]bool{
		`LDFLAGS := -X main.version=$(VERSION)`:                   true,
		`go build -ldflags "-s -w -X 'main.version=v1'"`:          true,
		`go build -ldflags="-X=github.com/a/b/version.Version=1"`: true,
		`go build -ldflags "-s -w"`:                               false,
	} {
		if got := ldflagsX().MatchString(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
}

func TestIsPIDPath(t *testing.T) {
	for s, want := range map[string]bool{"app.pid": true, "/run/app/app.pid": true, "/run/app.v2.pid": true, "kern.proc.pid": false, ".pid": false, "/run/.pid": false, "the .pid": false, "pid": false} {
		if got := isPIDPath(s); got != want {
			t.Errorf("isPIDPath(%q) = %v", s, got)
		}
	}
}

func TestServerBind(t *testing.T) {
	for s, want := range map[string]bool{
		" gunicorn --bind 0.0.0.0:8000 app:app":   true,
		" gunicorn -b :8000 app:app":              true,
		" gunicorn --bind=127.0.0.1:5000":         true,
		" uvicorn app:app --port 8000":            true,
		" uvicorn app:app --port=8000 --reload":   true,
		` gunicorn --bind "127.0.0.1:$PORT" app`:  false,
		` gunicorn --bind 0.0.0.0:$PORT app`:      false,
		` gunicorn --bind "$HOST:$PORT" app`:      false,
		` uvicorn app:app --port "$PORT"`:         false,
		` gunicorn --bind unix:/run/app.sock app`: false,
	} {
		if got := serverBind().MatchString(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
}

func TestBackingHost(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:pw@db.internal:5432/app": "db.internal",
		"redis://localhost:6379/0":               "localhost",
		"localhost:6379":                         "localhost",
		"mongodb://mongo/app":                    "mongo",
		"amqp://guest@rabbit//":                  "rabbit",
	} {
		if got := backingHost(in); got != want {
			t.Errorf("backingHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVersionStampedBuilds checks the builds that V-version-stamped
// accepts: -X on a line that sets or passes ldflags, or in a goreleaser
// file; not -X and ldflags on unrelated lines.
func TestVersionStampedBuilds(t *testing.T) {
	main := &fstest.MapFile{Data: []byte("package main\n\nvar version = \"dev\"\n\nfunc main() { println(version) }\n")}
	for build, want := range map[string]int{
		"Makefile:LDFLAGS := -X main.version=$(VERSION)\nbuild:\n\tgo build -ldflags \"$(LDFLAGS)\"\n":    0,
		"Dockerfile:FROM golang:1.25\nRUN go build -ldflags \"-s -w -X main.version=${VERSION}\" .\n":     0,
		".goreleaser.yaml:builds:\n  - ldflags:\n      - -s -w -X main.version={{.Version}}\n":            0,
		"Makefile:# LDFLAGS are for the linker\nbuild:\n\tgo build .\n\tgo run ./gen -X main.version=1\n": 1,
		"Makefile:build:\n\tgo build .\n": 1,
	} {
		name, data, _ := strings.Cut(build, ":")
		r, err := Load(fstest.MapFS{"main.go": main, name: {Data: []byte(data)}})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(versionStamped.Check(r)); got != want {
			t.Errorf("%s: %d findings, want %d", build, got, want)
		}
	}
	// A program without a version variable has nothing to stamp: go build
	// records the commit, which debug.ReadBuildInfo reads (issue 19).
	r, err := Load(fstest.MapFS{"main.go": {Data: []byte("package main\n\nfunc main() {}\n")}, "Makefile": {Data: []byte("build:\n\tgo build .\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := versionStamped.Check(r); len(got) != 0 {
		t.Errorf("a main without a version variable: %v", got)
	}
}

// TestSQLiteAndUploads checks what the rules learn of SQLite and uploads
// from Go sources, which a fixture cannot show without a func main whose
// other findings would mix in: the app's only database is an SQLite file
// (IV), and uploads land in a local folder (VI).
func TestSQLiteAndUploads(t *testing.T) {
	fsys := fstest.MapFS{
		"main.go": {Data: []byte(`package main

import (
	"flag"

	_ "modernc.org/sqlite"
)

func main() {
	dir := flag.String("upload-dir", "./data", "where uploads go")
	_ = dir
}
`)},
		"web/upload.go": {Data: []byte(`package web

func save(c *gin.Context) {
	f, _ := c.FormFile("file")
	c.SaveUploadedFile(f, "uploads/"+f.Filename)
}
`)},
	}
	r, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	sites, serverDB := r.sqliteSites()
	if len(sites) != 1 || sites[0].File != "main.go" || sites[0].Line != 6 || serverDB {
		t.Errorf("sqliteSites = %v, %v; want main.go:6 without a server", sites, serverDB)
	}
	var got []string
	for _, u := range r.localUploads() {
		got = append(got, fmt.Sprintf("%s:%d %s", u.File, u.Line, u.Message))
	}
	// A destination the code builds is named by the call, not left empty.
	if want := []string{"main.go:10 ./data", "web/upload.go:5 SaveUploadedFile"}; !slices.Equal(got, want) {
		t.Errorf("localUploads at %q, want %q", got, want)
	}
	for _, f := range hardCodedBackingServices.Check(r) {
		if f.File != "main.go" || f.Line != 6 || f.Status != Warn {
			t.Errorf("IV: %s", f)
		}
	}
}

// TestCommittedLogFile checks that a committed .log file is a warning of
// XI-log-files; twelve's own .gitignore keeps such a file out of a fixture.
func TestCommittedLogFile(t *testing.T) {
	r, err := Load(fstest.MapFS{"logs/app.log": {Data: []byte("started\n")}, "run.sh": {Data: []byte("exec ./app\n")}})
	if err != nil {
		t.Fatal(err)
	}
	got := logFiles.Check(r)
	if len(got) != 1 || got[0].File != "logs/app.log" || got[0].Status != Warn {
		t.Errorf("findings %v, want a warning on logs/app.log", got)
	}
}

// TestSeveralApps checks the note of I-codebase on a repository of two Go
// servers in two folders, each with its func main; a third program that
// does not serve, and an example that does, are not apps of their own.
func TestSeveralApps(t *testing.T) {
	server := func(pkg string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n")}
	}
	r, err := Load(fstest.MapFS{
		"cmd/api/main.go":         server("api"),
		"cmd/admin/main.go":       server("admin"),
		"cmd/tool/main.go":        {Data: []byte("package main\n\nfunc main() {}\n")},
		"examples/server/main.go": server("example"),
		"internal/store/store.go": {Data: []byte("package store\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.inVCS = true
	got := codebase.Check(r)
	if len(got) != 1 || got[0].File != "cmd/api/main.go" || got[0].Line != 6 || !strings.Contains(got[0].Message, "2 apps (cmd/admin, cmd/api)") {
		t.Errorf("findings %v, want one note at cmd/api/main.go:6 naming cmd/admin and cmd/api", got)
	}
}

// TestSeveralAppsImages checks the note of I-codebase on repositories whose
// Dockerfiles or deployment manifests release several servers, and its
// silence on one server released in several images, on a server beside a
// CLI, and on programs that no one builds (issue 19).
func TestSeveralAppsImages(t *testing.T) {
	const server = "FROM alpine:3.20 AS release\nEXPOSE 8080\nENTRYPOINT [\"/bin/%[1]s-linux\"]\n\nFROM alpine:3.20 AS debug\nEXPOSE 8080 12345\nENTRYPOINT [\"/bin/dlv\", \"exec\", \"/bin/%[1]s-linux\"]\n"
	main := "package main\n\nfunc main() {}\n"
	listener := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	for _, tt := range []struct {
		name string
		fs   fstest.MapFS
		want string // "file:line apps", or "" for no note
	}{
		{"two server images", fstest.MapFS{
			"cmd/collector/Dockerfile": {Data: fmt.Appendf(nil, server, "collector")},
			"cmd/query/Dockerfile":     {Data: fmt.Appendf(nil, server, "query")},
			"cmd/cleaner/Dockerfile":   {Data: []byte("FROM alpine:3.20\nENTRYPOINT [\"/bin/cleaner\"]\n")}, // a job: no port
		}, "cmd/query/Dockerfile:3 2 apps (collector, query)"},
		{"one server, two images", fstest.MapFS{
			"Dockerfile":                  {Data: []byte("FROM alpine:3.20\nEXPOSE 80\nCMD [\"/usr/bin/app\"]\n")},
			"packaging/docker/Dockerfile": {Data: []byte("FROM gcr.io/distroless/static\nEXPOSE 80\nENTRYPOINT [\"/bin/app\"]\n")},
		}, ""},
		{"launchers", fstest.MapFS{
			"web/Dockerfile":    {Data: []byte("FROM node:22\nEXPOSE 80\nCMD [\"node\", \"server.js\"]\n")},
			"worker/Dockerfile": {Data: []byte("FROM node:22\nEXPOSE 81\nENTRYPOINT [\"/sbin/tini\", \"--\"]\n")},
		}, ""},
		{"two services deployed", fstest.MapFS{
			"cmd/export/main.go":       {Data: []byte(main)},
			"cmd/exposure/main.go":     {Data: []byte(main)},
			"cmd/tool/main.go":         {Data: []byte(main)},
			"deploy/export.tf":         {Data: []byte("resource \"run\" \"export\" {\n  image = \"gcr.io/${var.p}/app/export:initial\"\n}\n")},
			"deploy/k8s/exposure.yaml": {Data: []byte("kind: Deployment\nspec:\n  containers:\n    - image: gcr.io/p/app/exposure@sha256:ab\n")},
			"examples/k8s/tool.yaml":   {Data: []byte("    - image: gcr.io/p/app/tool:1\n")},
		}, "deploy/k8s/exposure.yaml:4 2 apps (export, exposure)"},
		{"a server and its CLI", fstest.MapFS{
			"cmd/server/main.go": {Data: []byte(listener)},
			"cmd/cli/main.go":    {Data: []byte(main)},
			"deploy/server.yaml": {Data: []byte("    image: example.org/app/server:1\n")},
		}, ""},
		{"a generator beside a library", fstest.MapFS{
			"cmd/api/main.go":        {Data: []byte(listener)},
			"tls/generate_cert.go":   {Data: []byte("//go:build ignore\n\npackage main\n\nfunc main() {}\n")},
			"tls/listen.go":          {Data: []byte("package tls\n\nimport \"net/http\"\n\nfunc L() { http.ListenAndServe(\":1\", nil) }\n")},
			"web/triv.go":            {Data: []byte("//go:build ignore\n\n" + listener)},
			"bench/baseline/main.go": {Data: []byte(listener)},
		}, ""},
	} {
		r, err := Load(tt.fs)
		if err != nil {
			t.Fatal(err)
		}
		r.inVCS = true
		var got string
		for _, f := range codebase.Check(r) {
			_, apps, _ := strings.Cut(f.Message, "holds ")
			apps, _, _ = strings.Cut(apps, ", each")
			got += fmt.Sprintf("%s:%d %s", f.File, f.Line, apps)
		}
		if got != tt.want {
			t.Errorf("%s: note %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFrameworkServers checks that parseGo finds the servers of Go web
// frameworks, which start with methods of their own (issue 19).
func TestFrameworkServers(t *testing.T) {
	for src, want := range map[string]string{
		"package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run()\n}\n":                  "Run@7",
		"package main\n\nimport \"github.com/labstack/echo/v4\"\n\nfunc main() {\n\te := echo.New()\n\te.Start(addr)\n}\n":            "Start@7",
		"package main\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc main() {\n\tapp := fiber.New()\n\tapp.Listen(\":3000\")\n}\n": "Listen@7:3000",
		"package main\n\nimport \"example.com/worker\"\n\nfunc main() {\n\tw := worker.New()\n\tw.Run()\n}\n":                         "",
	} {
		var got string
		for _, l := range parseGo("main.go", []byte(src)).Listens {
			got += fmt.Sprintf("%s@%d%s", l.Call, l.Line, l.Addr)
		}
		if got != want {
			t.Errorf("%s\nlistens %q, want %q", src, got, want)
		}
	}
}

// TestPythonServerPort checks the Python servers whose port VII-port-binding
// reads from code: app.run, uvicorn.run, waitress.serve.
func TestPythonServerPort(t *testing.T) {
	for code, want := range map[string]bool{
		`app.run(host="0.0.0.0", port=5000)`:                true,
		`uvicorn.run(app, port=8000)`:                       true,
		`waitress.serve(app, host="0.0.0.0", port=8080)`:    true,
		`waitress.serve(app, port=int(os.environ["PORT"]))`: false,
	} {
		if got := pyRunPort().MatchString(code); got != want {
			t.Errorf("%s: %v, want %v", code, got, want)
		}
	}
}

// TestAssignedSecrets checks which lines of code and configuration
// III-secrets takes for secrets written as values.
func TestAssignedSecrets(t *testing.T) {
	for line, want := range map[string]string{
		`SECRET_KEY = 'hunter2-real'  # see the config docs`:      "value",
		`API_TOKEN = os.environ.get("API_TOKEN", "")`:             "",
		`API_TOKEN = os.environ.get("API_TOKEN", "tok-123456")`:   "default",
		`secret: process.env.SESSION_SECRET || 'keyboard-cat-42'`: "default",
		`password: getFileEnv(basicAuthPassword) || 'pass'`:       "placeholder",
		`PASSWORD_MIN_LENGTH = "12"`:                              "",
		`const tokenURL = "https://example.com/token"`:            "",
		`if password == "hunter2-real" {`:                         "",
		`credentials: 'same-origin',`:                             "",
		`credentials: "s3cr3t-value",`:                            "value",
		// names, modes and categories, no secrets (issue 19)
		`const PRIVATE_KEYWORD = 'private';`:       "",
		`api_keys: 'api_keys',`:                    "",
		`const passwordChallenge = "UGFzc3dvcmQ6"`: "",
		`self.secretsmount = "secret"`:             "",
		`secrets_mount="secret",`:                  "",
		`password_delivery: "none",`:               "",
		`password = "null"`:                        "",
		`session_secret: 'core',`:                  "value", // a word given once may be the secret
		`mod_password='moderator_password',`:       "",      // a mapping of one setting to another
		`'token_owner': 'subscription',`:           "",
		`db_password = 'your_db_password'`:         "placeholder",
		`api_token = 'super_secret_token'`:         "placeholder",
		// a terminal's colour, for a status named Pass
		`Pass: "\x1b[32m",`:         "",
		`PASS_COLOR = "\033[1;32m"`: "",
		`Pass: "\u001b[32m",`:       "",
		`Pass: "hunter2-real",`:     "value",
		// codes, expressions and example URLs (a third tryout, on pgx)
		`const ERRCODE_INVALID_PASSWORD = "28P01"`: "",
		`digestedPassword := "md5" + pw + user`:    "",
		`password = "%s-%s" % (user, salt)`:        "",
		`password := "s3cr3t-Value" // a real one`: "value",
		`password = "\x1b[32mhunter2-Sup3r"`:       "value", // a secret behind a colour is still one
	} {
		got := ""
		if s := assignedSecrets("app/settings.py", []byte(line)); len(s) == 1 {
			switch {
			case s[0].Placeholder:
				got = "placeholder"
			case s[0].Default:
				got = "default"
			default:
				got = "value"
			}
		} else if len(s) > 1 {
			got = fmt.Sprint(s)
		}
		if got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
}

// TestSecretCategory checks that a lower-case word that a file gives three
// keys or more, secret-named or not, is taken for a category, not a secret.
func TestSecretCategory(t *testing.T) {
	mapping := "const groups = {\n  members_private_key: 'core',\n  session_secret: 'core',\n  db_hash: 'core',\n  title: 'site',\n};\n"
	if s := assignedSecrets("app/mapper.js", []byte(mapping)); len(s) != 0 {
		t.Errorf("a settings group taken for secrets: %v", s)
	}
	two := "const a = {\n  session_secret: 'core',\n  db_hash: 'core',\n};\n"
	if s := assignedSecrets("app/mapper.js", []byte(two)); len(s) != 1 || s[0].Line != 2 {
		t.Errorf("a word given twice: %v, want one secret at line 2", s)
	}
}

// TestLocalStorage checks the settings that keep an app's data in local
// files, in the forms that config files, Dockerfiles and dotenv files take.
func TestLocalStorage(t *testing.T) {
	for l, want := range map[string]bool{
		"ENV INBUCKET_STORAGE_TYPE=file":   true,
		"export STORAGE_BACKEND=local":     true,
		"    STORAGE = 'filesystem'":       true,
		`storage_driver: "disk"`:           true,
		`  "store": "fs",`:                 true,
		"SESSION_STORE=file":               true,
		"ENV APP_STORAGE_TYPE=s3":          false,
		"restore: local":                   false,
		"storage_path = /var/lib/app":      false,
		"# STORAGE_TYPE=file in a comment": false,
	} {
		if got := localStorage().MatchString(l); got != want {
			t.Errorf("%q: %v, want %v", l, got, want)
		}
	}
	for l, want := range map[string]bool{
		"storage: ./storage":                           true,
		"filesystem_folder = /var/lib/app/collections": true,
		"DATA_DIR=/data":                               true,
		`  "uploadDir": "uploads/",`:                   true,
		"storage_path = /var/lib/app":                  true,
		"log_dir = /var/log/app":                       false,
		"storage: s3":                                  false,
		"data: ./fixtures.json trailing":               false,
		"storage_url = https://s3.example.com/bucket":  false,
	} {
		if got := localDataDir().MatchString(l); got != want {
			t.Errorf("localDataDir %q: %v, want %v", l, got, want)
		}
	}
}

// TestFlagDefaults checks the flag defaults that parseGo takes for a fixed
// address to listen on or a local data folder, and the struct fields that
// envconfig libraries fill from the environment.
func TestFlagDefaults(t *testing.T) {
	for src, want := range map[string]string{
		`addr := flag.String("addr", ":8080", "address to listen on")`:                        "addr :8080",
		`flag.StringVar(&addr, "listen", "0.0.0.0:9000", "")`:                                 "addr 0.0.0.0:9000",
		`port := flag.Int("port", 8080, "port to listen on")`:                                 "addr :8080",
		`web := webflag.AddFlags(kingpin.CommandLine, ":9093")`:                               "addr :9093",
		`dir := kingpin.Flag("storage.path", "Base path for data storage.").Default("data/")`: "dir storage.path defaults to data/",
		`fs.StringVarP(&dir, "data-dir", "d", "./data", "")`:                                  "dir data-dir defaults to ./data",
		`server := flag.String("server", "https://example.com:8443", "")`:                     "",
		`dir := flag.String("data-dir", "", "")`:                                              "",
		`name := flag.String("database", "app", "")`:                                          "",
	} {
		g := parseGo("main.go", []byte("package main\n\nimport \"flag\"\n\nfunc main() {\n\t"+src+"\n}\n"))
		var got []string
		for _, a := range g.FlagAddrs {
			got = append(got, "addr "+a.Value)
		}
		for _, d := range g.DataDirs {
			got = append(got, "dir "+d.Value)
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("%s: %q, want %q", src, got, want)
		}
	}
	g := parseGo("config.go", []byte("package config\n\nimport \"github.com/kelseyhightower/envconfig\"\n\ntype Web struct {\n\tAddr string `default:\"0.0.0.0:9000\"`\n}\n\nvar _ = envconfig.Process\n"))
	if !g.EnvPort {
		t.Errorf("envconfig's Addr field: EnvPort false, want true")
	}
}

// TestPortOption checks the lines of command-line options and settings
// whose default fixes the port to listen on.
func TestPortOption(t *testing.T) {
	for l, want := range map[string]bool{
		`    "--port",`: true,
		`  port: {`:     true,
		`parser.add_argument("--port", type=int, default=8080)`: true,
		`  "--portal-url",`: false,
		`  report: {`:       false,
	} {
		if got := portOption().MatchString(l); got != want {
			t.Errorf("portOption %q: %v, want %v", l, got, want)
		}
	}
	for l, want := range map[string]string{
		`    default=5722,`:       "5722",
		`    default: 3000`:       "3000",
		`default="0.0.0.0:8000")`: "0.0.0.0:8000",
		`    default=None,`:       "",
		`    default: 30000000`:   "",
	} {
		got := ""
		if m := optionDefault().FindStringSubmatch(l); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("optionDefault %q: %q, want %q", l, got, want)
		}
	}
	for l, want := range map[string]string{
		"#hosts = localhost:5232":                      "hosts = localhost:5232",
		"; port = 8080":                                "port = 8080",
		"# The server listens on port = 80 by default": "# The server listens on port = 80 by default",
		"hosts = 0.0.0.0:5232":                         "hosts = 0.0.0.0:5232",
	} {
		if got := commentedDefault(l); got != want {
			t.Errorf("commentedDefault(%q) = %q, want %q", l, got, want)
		}
	}
}

// TestSIGTERMOptIn checks that IX-sigterm warns, at the if, when Node.js
// handles SIGTERM only where a variable of the environment asks for it.
func TestSIGTERMOptIn(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"lib/server.js": {Data: []byte(`const server = app.listen(process.env.PORT);

function close() {
  server.close(() => process.exit(0));
}
if (process.env.APP_HANDLE_KILL_SIGNALS === 'true') {
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
}
`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := sigterm.Check(r)
	if len(got) != 1 || got[0].File != "lib/server.js" || got[0].Line != 6 || got[0].Status != Warn ||
		!strings.Contains(got[0].Message, "(process.env.APP_HANDLE_KILL_SIGNALS === 'true')") {
		t.Errorf("IX: %v, want a warning at lib/server.js:6", got)
	}
	r, err = Load(fstest.MapFS{"lib/server.js": {Data: []byte("const server = app.listen(process.env.PORT);\nprocess.on('SIGTERM', () => server.close());\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sigterm.Check(r); len(got) != 0 {
		t.Errorf("IX, SIGTERM handled always: %v", got)
	}
}

// TestFileDB checks the embedded databases of local files that IV and VI
// report: their imports in Go, JavaScript and Python.
func TestFileDB(t *testing.T) {
	for code, want := range map[string]string{
		`const low = require('lowdb');`:                         "lowdb",
		`const FileAsync = require("lowdb/adapters/FileAsync")`: "lowdb/adapters/FileAsync",
		`import Datastore from '@seald-io/nedb'`:                "@seald-io/nedb",
		`from tinydb import TinyDB`:                             "tinydb",
		`import shelve`:                                         "shelve",
		`const levels = require('./levels')`:                    "",
		`const db = require('pg')`:                              "",
	} {
		got := ""
		if m := scriptFileDB().FindStringSubmatch(code); m != nil {
			got = m[1] + m[2]
		}
		if got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	g := parseGo("store.go", []byte("package store\n\nimport bolt \"go.etcd.io/bbolt\"\n\nvar _ = bolt.Open\n"))
	if g.FileDB.Line != 3 || g.FileDB.Value != "go.etcd.io/bbolt" {
		t.Errorf("bbolt import: %+v", g.FileDB)
	}
}

// TestSQLiteDefault checks that X-backing-service-parity warns where the
// app opens SQLite by default while a committed config example names a
// database server for production.
func TestSQLiteDefault(t *testing.T) {
	files := fstest.MapFS{
		"app/config.py":        {Data: []byte("import os\n\nDEFAULTS = {\n    \"database_uri\": \"sqlite:///\" + os.path.join(\"/tmp\", \"app.db\"),\n}\n")},
		"docs/app.conf.sample": {Data: []byte("[base]\n; Default: SQLite in /tmp\n;database_uri = postgres://app:app@localhost/app\n")},
	}
	r, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	got := backingServiceParity.Check(r)
	if len(got) != 1 || got[0].File != "app/config.py" || got[0].Line != 4 || !strings.Contains(got[0].Message, "postgres (docs/app.conf.sample:3)") {
		t.Errorf("X: %v, want a warning at app/config.py:4 naming docs/app.conf.sample:3", got)
	}
	delete(files, "docs/app.conf.sample")
	if r, err = Load(files); err != nil {
		t.Fatal(err)
	}
	if backingServiceParity.Applies(r) {
		t.Errorf("X applies to an app that knows SQLite alone: %v", backingServiceParity.Check(r))
	}
}

// TestCodeInComments checks that code shown in a JavaScript doc comment,
// and a TypeScript declaration file, are not read as the app's code
// (issue 19): only the real .listen(4000) fails VII.
func TestCodeInComments(t *testing.T) {
	doc := "/**\n * Starts the server:\n    app.listen(4000, () => {});\n */\nfunction run(app) { return app }\n/* a note */ const port = 1;\n"
	r, err := Load(fstest.MapFS{
		"lib/run.js":   {Data: []byte(doc)},
		"lib/run.d.ts": {Data: []byte("/**\n * Example:\n */\n    app.listen(4000, () => {});\nexport declare function run(app: any): any;\n")},
		"lib/main.js":  {Data: []byte("const app = express();\n\napp.listen(4000);\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := portBinding.Check(r)
	if len(got) != 1 || got[0].File != "lib/main.js" || got[0].Line != 3 {
		t.Errorf("findings %v, want one at lib/main.js:3", got)
	}
}

// TestTestDockerfiles checks that the image of a test harness is not taken
// for the app's (issue 19): V neither warns on it nor applies for it.
func TestTestDockerfiles(t *testing.T) {
	harness := fstest.MapFS{"tests/ratelimit/Dockerfile.nginx": {Data: []byte("FROM nginx\nCOPY nginx.conf /etc/nginx/\n")}}
	r, err := Load(harness)
	if err != nil {
		t.Fatal(err)
	}
	if hasDockerfile(r) || len(containerRoot.Check(r)) != 0 || len(unpinnedBaseImage.Check(r)) != 0 {
		t.Errorf("a test harness's Dockerfile counts as the app's image")
	}
	harness["Dockerfile"] = &fstest.MapFile{Data: []byte("FROM node\nCMD [\"node\", \"server.js\"]\n")}
	if r, err = Load(harness); err != nil {
		t.Fatal(err)
	}
	if got := unpinnedBaseImage.Check(r); len(got) != 1 || got[0].File != "Dockerfile" {
		t.Errorf("findings %v, want one on Dockerfile", got)
	}
}

// TestSQLiteMigrations checks that a schema migration for SQLite, beside
// those for database servers, is not where the app keeps its data
// (issue 19): the setting that picks SQLite is.
func TestSQLiteMigrations(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"app/config.py":                       {Data: []byte("DEFAULTS = {\n    'database_uri': 'sqlite:///' + os.path.join(tempdir, 'app.db'),\n}\n")},
		"app/schema/migration/sqlite/2017.py": {Data: []byte("import sqlite3\n\nconn = sqlite3.connect(path)\n")},
		"app/migrations/0002_move.py":         {Data: []byte("conn = sqlite3.connect('app.db')\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	sites, _ := r.sqliteSites()
	if len(sites) != 1 || sites[0].File != "app/config.py" || sites[0].Line != 2 {
		t.Errorf("sqliteSites = %v, want app/config.py:2 only", sites)
	}
}

// TestProcessTypesEntry checks that VIII-process-types points at the file
// that starts the app, not at the first module that imports the framework
// (issue 19).
func TestProcessTypesEntry(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"site/account/admin.py": {Data: []byte("from django.contrib import admin\n")},
		"site/wsgi.py":          {Data: []byte("import os\n\nfrom django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := processTypes.Check(r)
	if len(got) != 1 || got[0].File != "site/wsgi.py" || got[0].Line != 3 {
		t.Errorf("findings %v, want one at site/wsgi.py:3", got)
	}
}

// TestDevConfigSecrets checks that the passwords of a development or test
// environment's config are not taken for leaked secrets (issue 19), while
// the same line in production's config is.
func TestDevConfigSecrets(t *testing.T) {
	conf := []byte("{\n  \"mail\": {\"auth\": {\"user\": \"user\", \"pass\": \"s3cr3t-value\"}}\n}\n")
	for name, want := range map[string]int{
		"config/env/config.development.json":   0,
		"config/env/config.testing-mysql.json": 0,
		"app/settings_dev.py":                  0,
		"config/env/config.production.json":    1,
		"config/device-settings.json":          1,
	} {
		if got := len(findSecrets(name, conf)); got != want {
			t.Errorf("%s: %d secrets, want %d", name, got, want)
		}
	}
}

// TestPythonPIDFile checks that a PID file in Python is told the fix for a
// PID file, not the one for sessions (issue 19).
func TestPythonPIDFile(t *testing.T) {
	r, err := Load(fstest.MapFS{"app/start.py": {Data: []byte("import os\n\npidfile = os.path.join(basedir, 'app.pid')\nSESSION_TYPE = 'filesystem'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range localState.Check(r) {
		got = append(got, fmt.Sprintf("%d %v", f.Line, strings.Contains(f.Message, "process manager")))
	}
	if want := []string{"3 true", "4 false"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// TestBrowserPackage checks that a browser app's code, under a package.json
// that depends on a UI framework and no server framework, starts no server
// (issue 19: a React store's this.listen(callback) failed IX).
func TestBrowserPackage(t *testing.T) {
	files := fstest.MapFS{
		"main.go":                 {Data: []byte("package main\n\nfunc main() {}\n")},
		"ui/package.json":         {Data: []byte(`{"dependencies": {"react": "^16", "react-dom": "^16"}, "devDependencies": {"react-scripts": "4"}}`)},
		"ui/src/store/socket.ts":  {Data: []byte("setTimeout(() => this.listen(callback), 30000);\n")},
		"server/package.json":     {Data: []byte(`{"dependencies": {"express": "4", "react-dom": "18"}}`)},
		"server/src/index.js":     {Data: []byte("app.listen(process.env.PORT);\n")},
		"server/public/widget.js": {Data: []byte("widget.listen(el);\n")},
	}
	r, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.servers() {
		got = append(got, s.File)
	}
	if want := []string{"server/src/index.js"}; !slices.Equal(got, want) {
		t.Errorf("servers %q, want %q", got, want)
	}
}

// TestDaemonizes checks that VIII reports a process that puts itself in
// the background, where no process manager sees it (issue 19): a forking
// systemd unit, Python that forks and calls setsid, twistd without
// --nodaemon, an image whose command is pm2 start.
func TestDaemonizes(t *testing.T) {
	for src, want := range map[string]int{
		"pid = os.fork()\nif pid:\n    return\nos.setsid()\n":                               1,
		"pid = os.fork()\nif pid == 0:\n    os.execv(cmd, args)\n":                          0,
		"with daemon.DaemonContext(pidfile=lock):\n    serve()\n":                           1,
		"argv = [sys.executable,\n    \"twistd\",\n    \"--logfile=twistd.log\"]\n":         2,
		"argv = [\"twistd\",\n    \"--nodaemon\",\n    \"--logfile=twistd.log\"]\n":         0,
		"# os.fork()\n# os.setsid()\n":                                                      0,
		"from twisted.scripts import twistd\n\ndef main():\n    return run(twistd.run())\n": 0,
	} {
		if got, _ := pyDaemonizes(strings.Split(src, "\n")); got != want {
			t.Errorf("%q: line %d, want %d", src, got, want)
		}
	}
	r, err := Load(fstest.MapFS{
		"app.service":         {Data: []byte("[Service]\nType=forking\nExecStart=/usr/bin/app start\n")},
		"Dockerfile":          {Data: []byte("FROM node:22.11\nCMD pm2 start app.js && pm2 logs\n")},
		"deploy/Dockerfile":   {Data: []byte("FROM node:22.11\nCMD [\"pm2-runtime\", \"app.js\"]\n")},
		"tests/test_start.py": {Data: []byte("pid = os.fork()\nos.setsid()\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range processTypes.Check(r) {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	if want := []string{"app.service:2", "Dockerfile:2"}; !slices.Equal(got, want) {
		t.Errorf("VIII: %q, want %q", got, want)
	}
}

// TestSQLiteSettings checks the SQLite databases that IV and VI read from
// settings rather than code (issue 19): an sqlite:/// URL in an INI or
// YAML config the app loads, and gorm v1's sqlite dialect imported beside
// its server dialects.
func TestSQLiteSettings(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"app/config/schema.cfg":       {Data: []byte("[database]\n# The URL of the database.\nurl: sqlite:///$DATA_DIR/app.db\n")},
		"app/config/app.cfg.sample":   {Data: []byte("[database]\nurl: sqlite:///app.db\n")},
		"app/config/dev.yaml":         {Data: []byte("database_url: sqlite:///dev.db\n")},
		"app/tests/testing.cfg":       {Data: []byte("[database]\nurl: sqlite:///test.db\n")},
		"cmd/app/main.go":             {Data: []byte("package main\n\nfunc main() {}\n")},
		"internal/db/db.go":           {Data: []byte("package db\n\nimport (\n\t_ \"github.com/jinzhu/gorm/dialects/mysql\"\n\t_ \"github.com/jinzhu/gorm/dialects/sqlite\"\n)\n")},
		"internal/db/migrations/1.go": {Data: []byte("package migrations\n\nimport _ \"github.com/jinzhu/gorm/dialects/sqlite\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	sites, serverDB := r.sqliteSites()
	var got []string
	for _, s := range sites {
		got = append(got, fmt.Sprintf("%s:%d", s.File, s.Line))
	}
	if want := []string{"internal/db/db.go:5", "app/config/schema.cfg:3"}; !slices.Equal(got, want) || !serverDB {
		t.Errorf("SQLite sites %q (server %v), want %q and a server", got, serverDB, want)
	}
}

// TestLocalFallback checks that VI and X report an app that says it keeps
// its data locally when its backing service is away (issue 19: a fallback
// to another engine is a finding).
func TestLocalFallback(t *testing.T) {
	for line, want := range map[string]string{
		`console.log("==> Falling back to file system storage: " + dir + "/dump/");`: "file system storage",
		`log.warning("Redis unreachable, falling back to an in-memory cache")`:       "in-memory cache",
		`logger.warn('falls back to local disk store')`:                              "disk store",
		`console.log("falling back to the default port");`:                           "",
		`// falling back to file storage when Redis is away`:                         "",
	} {
		r, err := Load(fstest.MapFS{"lib/db.js": {Data: []byte("const redis = require('redis');\n" + line + "\n")}, "test/db.test.js": {Data: []byte(line + "\n")}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range append(localState.Check(r), backingServiceParity.Check(r)...) {
			got = append(got, fmt.Sprintf("%s %s:%d", f.Rule, f.File, f.Line))
		}
		var exp []string
		if want != "" {
			exp = []string{"VI-local-state lib/db.js:2", "X-backing-service-parity lib/db.js:2"}
			if fb := r.localFallbacks(); len(fb) != 1 || fb[0].Message != want {
				t.Errorf("%s: %v, want %q", line, fb, want)
			}
		}
		if !slices.Equal(got, exp) {
			t.Errorf("%s: %q, want %q", line, got, exp)
		}
	}
}

// TestPyMainBlock checks that a print in a module's __main__ block, run
// only by hand, is no print-logging of the server (issue 19), while a
// print in the module's code still is.
func TestPyMainBlock(t *testing.T) {
	src := "from flask import Flask\n\ndef handler():\n    print('request')\n\nif __name__ == '__main__':\n    # a quick check\n    print(handler())\n\n    print('done')\nprint('imported')\n"
	want := []bool{false, false, false, false, false, true, true, true, true, true, false, false}
	if got := pyMainBlock(strings.Split(src, "\n")); !slices.Equal(got, want) {
		t.Errorf("pyMainBlock = %v, want %v", got, want)
	}
	r, err := Load(fstest.MapFS{"app/views.py": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, f := range printLogging.Check(r) {
		got = append(got, f.Line)
	}
	if want := []int{4, 11}; !slices.Equal(got, want) {
		t.Errorf("XI-print-logging at lines %v, want %v", got, want)
	}
	// A test helper's prints, and a print whose file= follows its text,
	// are no logging of the server either.
	r, err = Load(fstest.MapFS{
		"app/views.py":         {Data: []byte("from flask import Flask\n\ndef write(fp):\n    print(\"\"\"\\\n# generated\n\"\"\".format(1), file=fp)\n")},
		"app/testing/layer.py": {Data: []byte("print('setting up')\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := printLogging.Check(r); len(got) != 0 {
		t.Errorf("XI-print-logging: %v", got)
	}
}

// TestSecretDefaultsAndStorageKeys checks two kinds of values of
// secret-named keys (issue 19): a Go struct tag's default for a secret
// field, which the app runs with unless configured, and the name under
// which browser storage keeps a token, which is no token.
func TestSecretDefaultsAndStorageKeys(t *testing.T) {
	for src, want := range map[string]string{
		"\tPass string `default:\"admin\"`\n":                               "placeholder",
		"\tTokenSecret string `envDefault:\"k3y-9f8a7b\" env:\"SECRET\"`\n": "default",
		"\tPass string `json:\"pass\"`\n":                                   "",
		"\tPassStrength int `default:\"10\"`\n":                             "",
	} {
		got := ""
		if s := assignedSecrets("config/config.go", []byte(src)); len(s) == 1 {
			got = map[bool]string{true: "placeholder", false: "default"}[s[0].Placeholder]
			if !s[0].Default {
				got = "value"
			}
		} else if len(s) > 1 {
			got = fmt.Sprint(s)
		}
		if got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
	store := "const tokenKey = 'app-login-key';\nconst t = window.localStorage.getItem(tokenKey);\n"
	if s := assignedSecrets("ui/src/user.ts", []byte(store)); len(s) != 0 {
		t.Errorf("a storage key: %v", s)
	}
	if s := assignedSecrets("ui/src/user.ts", []byte("const tokenKey = 'k3y-9f8a7b';\nsign(tokenKey);\n")); len(s) != 1 {
		t.Errorf("a key used to sign: %v, want one secret", s)
	}
}

// TestLogFileSettings checks the log files that XI-log-files reads from
// settings (issue 19): a path under an INI config's logging section, and a
// logrotate config shipped with the app; and that a print into a file
// object is no print-logging.
func TestLogFileSettings(t *testing.T) {
	ini := []string{"[logging.template]", "format: %(message)s", "path: mailman.log", "[logging.http]", "path = http.log", "[webservice]", "path: /api", "file: out.log"}
	var got []string
	for _, p := range iniLogPaths(ini) {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Value))
	}
	if want := []string{"3 mailman.log", "5 http.log"}; !slices.Equal(got, want) {
		t.Errorf("iniLogPaths = %q, want %q", got, want)
	}
	r, err := Load(fstest.MapFS{
		"app/main.py":            {Data: []byte("import sys\n")},
		"etc/app/app.cfg":        {Data: []byte(strings.Join(ini, "\n"))},
		"etc/app/app.cfg.sample": {Data: []byte(strings.Join(ini, "\n"))},
		"etc/logrotate.d/app":    {Data: []byte("/var/log/app/app.log {\n\tdaily\n}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range logFiles.Check(r) {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Status))
	}
	if want := []string{"etc/app/app.cfg:3 fail", "etc/app/app.cfg:5 fail", "etc/logrotate.d/app:1 warn"}; !slices.Equal(got, want) {
		t.Errorf("XI-log-files: %q, want %q", got, want)
	}
	for code, want := range map[string]bool{
		"print(self._header, file=self._text)": true,
		"print(file=fp)":                       true,
		"print('error', file=sys.stderr)":      false,
		"print('serving on', port)":            false,
		pyCall([]string{`print("""\`, "# generated by the app", `""".format(x), file=fp)`, "print('x')"}, 0): true,
		pyCall([]string{"print('a',", "      'b')", "fp = None  # file=fp"}, 0):                              false,
	} {
		if got := printsToFile(code); got != want {
			t.Errorf("printsToFile(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestNamedDefaultBackingService checks that IV takes a constant named
// default... that points at this machine for a setting's default, and
// still fails another host so named, or a loopback address in code.
func TestNamedDefaultBackingService(t *testing.T) {
	for src, want := range map[string]int{
		"package kafka\n\nconst defaultBroker = \"127.0.0.1:9092\"\n":            0,
		"package kafka\n\nconst (\n\tDefaultBroker = \"localhost:9092\"\n)\n":    0,
		"package kafka\n\nvar defaultBroker = \"kafka.internal:9092\"\n":         1,
		"package kafka\n\nfunc f() string { return \"127.0.0.1:9092\" }\n":       1,
		"package kafka\n\nconst broker, defaultDB = \"127.0.0.1:9092\", \"x\"\n": 1,
	} {
		r, err := Load(fstest.MapFS{
			"main.go":          {Data: []byte("package main\n\nfunc main() {}\n")},
			"kafka/options.go": {Data: []byte(src)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(hardCodedBackingServices.Check(r)); got != want {
			t.Errorf("%s\n%d findings, want %d", src, got, want)
		}
	}
}

// TestMaintainersStartScript checks that a script named start.sh in the
// maintainers' release or CI tooling is no start script of the app.
func TestMaintainersStartScript(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"scripts/release/start.sh": {Data: []byte("#!/bin/sh\nmake release\n")},
		".github/ci/run.sh":        {Data: []byte("#!/bin/sh\ngo test ./...\n")},
		"start.sh":                 {Data: []byte("#!/bin/sh\nexec ./server\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.startScripts(); !slices.Equal(got, []string{"start.sh"}) {
		t.Errorf("start scripts %v, want [start.sh]", got)
	}
}

// TestLogFileConfigConf checks that a logging.config.fileConfig file
// fails XI-log-files on its file handler whatever its extension, while a
// .conf of another shape, and one under examples/, are not read for it.
func TestLogFileConfigConf(t *testing.T) {
	logConf := "[loggers]\nkeys=root\n\n[handlers]\nkeys=rotate\n\n[handler_rotate]\nclass=handlers.TimedRotatingFileHandler\nargs=('/var/log/app/app.log', 'D', 1, 30)\n"
	r, err := Load(fstest.MapFS{
		"app/main.py":               {Data: []byte("import sys\n")},
		"etc/app/app_log.conf":      {Data: []byte(logConf)},
		"examples/logging.cfg":      {Data: []byte(logConf)},
		"etc/app/other.conf":        {Data: []byte("[main]\nclass=handlers.RotatingFileHandler\n")},
		"etc/app/logging.ini":       {Data: []byte("[handler_file]\nclass=FileHandler\n")},
		"etc/app/plain_handler.cfg": {Data: []byte("[handlers]\nkeys=console\n[handler_console]\nclass=StreamHandler\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range logFiles.Check(r) {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Status))
	}
	if want := []string{"etc/app/app_log.conf:8 fail", "etc/app/logging.ini:2 fail"}; !slices.Equal(got, want) {
		t.Errorf("XI-log-files: %q, want %q", got, want)
	}
}

// TestJSLogFileStreams checks the Node.js log files that jsLogFile finds:
// rotating streams opened on a .log file, and write streams to a .log path
// built in code, but not a stream to another file.
func TestJSLogFileStreams(t *testing.T) {
	for code, want := range map[string]bool{
		"output = logrotate({ file: __dirname + '/logs/output.log', size: '1m' }),": true,
		"var stream = rfs.createStream('access.log', { interval: '1d' });":          true,
		"FileStreamRotator.getStream({ filename: logDir + '/app-%DATE%.log' })":     true,
		"fs.createWriteStream(path.join(dir, 'server.log'), { flags: 'a' })":        true,
		"fs.createWriteStream('/var/log/app.log')":                                  true,
		"fs.createWriteStream(path.join(dir, 'export.csv'))":                        false,
		"logrotate(stream)":           false,
		"const file = 'changelog.md'": false,
	} {
		if got := jsLogFile().MatchString(code); got != want {
			t.Errorf("jsLogFile(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestJSDaemonPackage checks that JavaScript loading the daemon package
// puts the app in the background for VIII, while a comment naming it, an
// unrelated package whose name starts so, and browser code do not.
func TestJSDaemonPackage(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"package.json":         {Data: []byte(`{"dependencies": {"express": "4", "daemon": "1"}}` + "\n")},
		"loader.js":            {Data: []byte("var fs = require('fs');\n\nif (daemonize) {\n\trequire('daemon')({ stdout: out });\n}\n")},
		"other.js":             {Data: []byte("// require('daemon') once put us in the background\nvar d = require('daemon-tools');\n")},
		"public/src/client.js": {Data: []byte("require('daemon')();\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range r.daemonSites() {
		got = append(got, fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Message))
	}
	if want := []string{"loader.js:4 the daemon package puts the program in the background"}; !slices.Equal(got, want) {
		t.Errorf("daemonSites = %q, want %q", got, want)
	}
}

// TestSQLiteURLDefaultAndUnit checks that a bare sqlite:// URL given as a
// default is an SQLite site (a comparison with it is not), and that a
// systemd unit ordered after a database server's unit names the server
// that production runs, for X.
func TestSQLiteURLDefaultAndUnit(t *testing.T) {
	for code, want := range map[string]bool{
		"os.environ.get('APP_DATABASE_URI', 'sqlite://'))": true,
		"uri = 'sqlite://'":                         true,
		"url = os.environ.get('DB') or 'sqlite://'": true,
		"if db_url == 'sqlite://':":                 false,
		"if (url === 'sqlite://') {":                false,
	} {
		if got := scriptSQLite().MatchString(code); got != want {
			t.Errorf("scriptSQLite(%q) = %v, want %v", code, got, want)
		}
	}
	r, err := Load(fstest.MapFS{
		"app/config.py":                  {Data: []byte("import os\n\nDATABASE_URI = os.environ.get('APP_DATABASE_URI', 'sqlite://')\n")},
		"lib/systemd/system/app.service": {Data: []byte("[Unit]\nDescription=app\nAfter=network.target\nAfter=postgresql.service\n\n[Service]\nExecStart=/usr/bin/app\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.sqliteDefaults() {
		got = append(got, fmt.Sprintf("%s:%d %s", s.File, s.Line, s.Message))
	}
	if want := []string{"app/config.py:3 postgresql (lib/systemd/system/app.service:4)"}; !slices.Equal(got, want) {
		t.Errorf("sqliteDefaults = %q, want %q", got, want)
	}
}

// TestJSUploadPath checks that JavaScript writing uploads under a path it
// builds on the local disk keeps them locally for VI, and that a file
// naming such a path but writing nothing, or reading it from the
// environment, does not.
func TestJSUploadPath(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"src/file.js":   {Data: []byte("var fs = require('fs');\nvar path = require('path');\n\nexports.save = function (name, tmp) {\n\tvar uploadPath = path.join(baseDir, 'uploads', name);\n\tfs.createReadStream(tmp).pipe(fs.createWriteStream(uploadPath));\n};\n")},
		"src/url.js":    {Data: []byte("var path = require('path');\nvar uploadPath = path.join(base, 'uploads');\nmodule.exports = uploadPath;\n")},
		"src/remote.js": {Data: []byte("var fs = require('fs');\nvar uploadDir = path.resolve(process.env.UPLOAD_DIR);\nfs.writeFile(x, y, cb);\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range r.localUploads() {
		got = append(got, fmt.Sprintf("%s:%d %s", u.File, u.Line, u.Message))
	}
	if want := []string{"src/file.js:5 uploadPath = path.join(...)"}; !slices.Equal(got, want) {
		t.Errorf("localUploads = %q, want %q", got, want)
	}
}

// TestPythonDevServer checks that IX-sigterm warns where Python serves the
// app with werkzeug's run_simple: in a module or in a python script of a
// bin/ folder, but not in an if __name__ == "__main__": block, a test, or
// a bin/ script of another language.
func TestPythonDevServer(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"usr/bin/appd":          {Data: []byte("#!/usr/bin/python3\nfrom app.wsgi import app\nfrom werkzeug.serving import run_simple\n\nrun_simple(host, port, app, threaded=True)\n")},
		"app/devserver.py":      {Data: []byte("from werkzeug.serving import run_simple\n\n\nif __name__ == \"__main__\":\n    run_simple('localhost', 5000, app)\n")},
		"app/tests/test_web.py": {Data: []byte("from werkzeug.serving import run_simple\nrun_simple('localhost', 0, app)\n")},
		"usr/bin/appctl":        {Data: []byte("#!/bin/sh\n# run_simple(host, port, app) is what appd does\nexec appd\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sigterm.Applies(r) {
		t.Fatal("IX-sigterm does not apply to an app served by run_simple")
	}
	var got []string
	for _, f := range sigterm.Check(r) {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Status))
	}
	if want := []string{"usr/bin/appd:5 warn"}; !slices.Equal(got, want) {
		t.Errorf("IX-sigterm: %q, want %q", got, want)
	}
}

// TestINIDataSection checks that the folder setting of an INI config's
// [database] or [storage] section keeps data locally for VI, commented
// defaults included as elsewhere, while a path of another section, a
// file, and a path under examples/ do not.
func TestINIDataSection(t *testing.T) {
	conf := "[web]\nroot = /usr/share/app/www\n\n[database]\n# uri = postgresql://db/\npath = /var/lib/app\n\n[storage]\n#dir = ./data\n\n[cache]\npath = /var/cache/app\n\n[attachment]\npath = /var/lib/app/index.db\n"
	r, err := Load(fstest.MapFS{
		"app/main.py":          {Data: []byte("import sys\n")},
		"etc/app/app.conf":     {Data: []byte(conf)},
		"examples/sample.conf": {Data: []byte(conf)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.localStores() {
		got = append(got, fmt.Sprintf("%s:%d %s", s.File, s.Line, s.Message))
	}
	want := []string{
		"etc/app/app.conf:6 the setting path = /var/lib/app of [database] keeps the app's data in a folder on the local disk",
		"etc/app/app.conf:9 the setting dir = ./data of [storage] keeps the app's data in a folder on the local disk",
	}
	if !slices.Equal(got, want) {
		t.Errorf("localStores = %q, want %q", got, want)
	}
}
