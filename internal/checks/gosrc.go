package checks

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// goFile is what the rules need to know of one Go source, found by walking
// its syntax tree: parsing it once serves every rule.
type goFile struct {
	Name    string
	Package string
	Main    bool            // package main with a func main
	Ignored bool            // built by no one: //go:build ignore, a program run by hand (go run gen.go)
	Imports map[string]bool // import paths

	Listens       []goListen // where it listens, and on what address
	SIGTERM       bool       // it asks for SIGTERM with signal.Notify or signal.NotifyContext
	ReadBuildInfo bool       // it calls debug.ReadBuildInfo
	Prints        []int      // lines of fmt.Print, fmt.Printf, fmt.Println, print and println calls
	LogFiles      []goString // .log files it opens: os.OpenFile("app.log"), lumberjack.Logger{Filename: "app.log"}
	Literals      []goString // string literals, but imports and struct tags, that name a backing service or a PID file
	SQLite        int        // line of the import of an SQLite driver, or 0
	FileDB        goString   // the import of an embedded database kept in local files: bbolt, badger, goleveldb
	ServerDB      bool       // it imports the driver of a database server: PostgreSQL, MySQL
	Uploads       []goString // uploads saved to the local disk: c.SaveUploadedFile, a flag "upload-dir" with a default folder
	EnvPort       bool       // it reads the port or address to listen on from the environment: os.Getenv("PORT")
	FlagAddrs     []goString // flag defaults that fix the address to listen on: flag.String("addr", ":8080", ...)
	DataDirs      []goString // flag defaults that keep the app's data in a local folder: "storage.path" defaults to "data/"
	VersionVar    int        // line of a package-level version variable set to a literal: var version = "dev"
}

// sqliteDrivers are the import paths of Go's SQLite drivers.
var sqliteDrivers = []string{"github.com/mattn/go-sqlite3", "modernc.org/sqlite", "gorm.io/driver/sqlite", "github.com/glebarez/sqlite", "github.com/glebarez/go-sqlite", "github.com/ncruces/go-sqlite3/driver", "zombiezen.com/go/sqlite", "crawshaw.io/sqlite", "github.com/libtnb/sqlite", "github.com/jinzhu/gorm/dialects/sqlite"}

// fileDBs are the import paths of Go's embedded databases, which keep
// their data in files on the local disk.
var fileDBs = []string{"go.etcd.io/bbolt", "github.com/boltdb/bolt", "github.com/dgraph-io/badger", "github.com/dgraph-io/badger/v2", "github.com/dgraph-io/badger/v3", "github.com/dgraph-io/badger/v4", "github.com/syndtr/goleveldb/leveldb", "github.com/asdine/storm", "github.com/asdine/storm/v3"}

// serverDBDrivers are the import paths of Go's drivers of database servers.
var serverDBDrivers = []string{"github.com/lib/pq", "github.com/jackc/pgx", "github.com/jackc/pgx/v4", "github.com/jackc/pgx/v5", "github.com/jackc/pgx/v5/stdlib", "github.com/jackc/pgx/v5/pgxpool", "github.com/go-sql-driver/mysql", "gorm.io/driver/postgres", "gorm.io/driver/mysql", "github.com/rqlite/gorqlite", "github.com/rqlite/gorqlite/stdlib", "go.mongodb.org/mongo-driver/mongo", "github.com/microsoft/go-mssqldb", "github.com/jinzhu/gorm/dialects/postgres", "github.com/jinzhu/gorm/dialects/mysql", "github.com/jinzhu/gorm/dialects/mssql"}

// goListen is a call that binds a port: http.ListenAndServe(addr, h),
// net.Listen("tcp", addr), or an http.Server{Addr: addr}.
type goListen struct {
	Line int
	Call string // "http.ListenAndServe"
	Addr string // the address when it is a string literal, else ""
}

// goString is a string literal and its line.
type goString struct {
	Line       int
	Value      string
	EnvDefault bool // an argument of a call that also reads the environment, cmp.Or(os.Getenv("X"), "..."), or the value of a constant named default...
}

// goImports are the imports that make a Go source worth a full parse: the
// rules look for servers, signals, build info and prints in server code.
var goImports = []string{"net", "net/http", "os/signal", "runtime/debug", "github.com/spf13/pflag", "github.com/alecthomas/kingpin/v2", "gopkg.in/alecthomas/kingpin.v2", "github.com/urfave/cli/v2", "github.com/urfave/cli/v3", envconfigImports[0], envconfigImports[1], envconfigImports[2]}

// envconfigImports are libraries that fill a struct from the environment by
// its field names: a field Addr or Port there reads the address to listen on.
var envconfigImports = []string{"github.com/kelseyhightower/envconfig", "github.com/sethvargo/go-envconfig", "github.com/caarlos0/env/v11"}

// goWebFrameworks are the imports of Go web frameworks whose servers start
// with a method of their own: gin's r.Run(), echo's e.Start(addr),
// fiber's app.Listen(addr), iris's app.Listen(addr).
var goWebFrameworks = []string{"github.com/gin-gonic/gin", "github.com/labstack/echo/v4", "github.com/labstack/echo/v5", "github.com/gofiber/fiber/v2", "github.com/gofiber/fiber/v3", "github.com/kataras/iris/v12", "github.com/beego/beego/v2/server/web"}

// frameworkStarts are the methods that start the servers of goWebFrameworks.
var frameworkStarts = []string{"Run", "RunTLS", "Start", "StartTLS", "StartAutoTLS", "Listen", "ListenTLS"}

// goNeedles are words that make a Go source worth a full parse whatever it
// imports: a method that serves, a main, a PID file.
var goNeedles = [][]byte{[]byte("ListenAndServe"), []byte(".Serve("), []byte("func main("), []byte(`.pid"`), []byte(`.log"`), []byte("pload")} // pload: SaveUploadedFile, a flag "upload-dir"

// valueAt returns the i-th value of a declaration, or nil.
func valueAt(values []ast.Expr, i int) ast.Expr {
	if i < len(values) {
		return values[i]
	}
	return nil
}

// buildIgnored reports whether the header of a Go source, the text before
// its package clause, holds the build constraint //go:build ignore.
func buildIgnored(header []byte) bool {
	for _, l := range bytes.Split(header, []byte("\n")) {
		if c, ok := bytes.CutPrefix(bytes.TrimSpace(l), []byte("//go:build")); ok && string(bytes.TrimSpace(c)) == "ignore" {
			return true
		}
	}
	return false
}

// parseGo parses a Go source with go/parser and collects its facts. It
// parses the imports first, and the whole file only when its imports or
// words can interest a rule. A source with syntax errors yields the facts
// of what could be parsed.
func parseGo(name string, src []byte) *goFile {
	g := &goFile{Name: name, Imports: map[string]bool{}}
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.SkipObjectResolution)
	if f == nil {
		return g
	}
	interesting := hasBackingPort(src) || hasBackingURL(src)
	for _, n := range goNeedles {
		interesting = interesting || bytes.Contains(src, n)
	}
	framework := false
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		framework = framework || slices.Contains(goWebFrameworks, p)
		interesting = interesting || slices.Contains(goImports, p) || framework
		if slices.ContainsFunc(fileDBs, func(db string) bool { return p == db || strings.HasPrefix(p, db+"/") }) && g.FileDB.Line == 0 {
			g.FileDB = goString{Line: fset.Position(imp.Pos()).Line, Value: p}
		}
		if slices.Contains(sqliteDrivers, p) && g.SQLite == 0 {
			g.SQLite = fset.Position(imp.Pos()).Line
		}
		g.ServerDB = g.ServerDB || slices.Contains(serverDBDrivers, p)
	}
	if interesting {
		f, _ = parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if f == nil {
			return g
		}
	}
	g.Package = f.Name.Name
	g.Ignored = buildIgnored(src[:fset.Position(f.Package).Offset])
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil {
			g.Imports[p] = true
		}
	}
	if !interesting && bytes.Contains(src, []byte("ersion")) && g.Package == "main" {
		// a version variable of a main package: parse the declarations
		if full, _ := parser.ParseFile(fset, name, src, parser.SkipObjectResolution); full != nil {
			f = full
		}
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || (gd.Tok != token.VAR && gd.Tok != token.CONST) {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) && strings.HasSuffix(strings.ToLower(n.Name), "version") {
					if b, ok := vs.Values[i].(*ast.BasicLit); ok && b.Kind == token.STRING && g.VersionVar == 0 {
						g.VersionVar = fset.Position(n.Pos()).Line
					}
				}
			}
		}
	}
	if !interesting {
		return g
	}
	// local names of the imported packages the rules know
	pkg := func(e ast.Expr) string {
		id, ok := e.(*ast.Ident)
		if !ok {
			return ""
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			local := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				local = imp.Name.Name
			}
			if local == id.Name {
				return p
			}
		}
		return ""
	}
	line := func(n ast.Node) int { return fset.Position(n.Pos()).Line }
	lit := func(e ast.Expr) string {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil {
				return s
			}
		}
		return ""
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" && g.Package == "main" {
			g.Main = true
		}
	}
	tags := map[*ast.BasicLit]bool{}
	defaults := map[*ast.BasicLit]bool{} // arguments beside an environment read
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ImportSpec:
			return false
		case *ast.Field:
			if n.Tag != nil { // struct tags hold names and defaults read from the environment
				tags[n.Tag] = true
			}
			if slices.ContainsFunc(envconfigImports, func(p string) bool { return g.Imports[p] }) {
				for _, id := range n.Names {
					g.EnvPort = g.EnvPort || isPortVariable(strings.ToUpper(id.Name))
				}
			}
		case *ast.ValueSpec:
			// const defaultBroker = "127.0.0.1:9092": by its name, the
			// default of a setting, which the setting overrides
			for i, id := range n.Names {
				if b, ok := valueAt(n.Values, i).(*ast.BasicLit); ok && strings.HasPrefix(strings.ToLower(id.Name), "default") {
					defaults[b] = true
				}
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && !tags[n] {
				if s, err := strconv.Unquote(n.Value); err == nil && (backingAddress(s) || isPIDPath(s)) {
					g.Literals = append(g.Literals, goString{Line: line(n), Value: s, EnvDefault: defaults[n]})
				}
			}
		case *ast.CompositeLit:
			for _, el := range n.Elts { // lumberjack.Logger{Filename: "/var/log/app.log"}
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Filename" && strings.HasSuffix(lit(kv.Value), ".log") {
						g.LogFiles = append(g.LogFiles, goString{Line: line(kv), Value: lit(kv.Value)})
					}
				}
			}
			if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Server" && pkg(sel.X) == "net/http" {
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Addr" {
							g.Listens = append(g.Listens, goListen{Line: line(kv), Call: "http.Server", Addr: lit(kv.Value)})
						}
					}
				}
			}
		case *ast.CallExpr:
			if readsEnv(n) {
				for _, a := range n.Args {
					g.EnvPort = g.EnvPort || isPortVariable(lit(a))
				}
			}
			if slices.ContainsFunc(n.Args, readsEnv) {
				for _, a := range n.Args {
					if b, ok := a.(*ast.BasicLit); ok {
						defaults[b] = true
					}
				}
			}
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				if fn.Name == "print" || fn.Name == "println" {
					g.Prints = append(g.Prints, line(n))
				}
			case *ast.SelectorExpr:
				name := fn.Sel.Name
				switch p := pkg(fn.X); {
				case p == "fmt" && (name == "Print" || name == "Printf" || name == "Println"):
					g.Prints = append(g.Prints, line(n))
				case p == "os" && (name == "Create" || name == "OpenFile") && len(n.Args) > 0 && strings.HasSuffix(lit(n.Args[0]), ".log"):
					g.LogFiles = append(g.LogFiles, goString{Line: line(n), Value: lit(n.Args[0])})
				case name == "SaveUploadedFile" && len(n.Args) == 2:
					dst := lit(n.Args[1])
					if dst == "" { // a path the code builds: name the call
						dst = "SaveUploadedFile"
					}
					g.Uploads = append(g.Uploads, goString{Line: line(n), Value: dst})
				case (name == "String" || name == "StringVar") && len(n.Args) >= 3 && isUploadFlag(lit(n.Args[len(n.Args)-3])) && lit(n.Args[len(n.Args)-2]) != "":
					// flag.StringVar(&dir, "upload-dir", "./data", "...")
					g.Uploads = append(g.Uploads, goString{Line: line(n), Value: lit(n.Args[len(n.Args)-2])})
				case name == "Default" && len(n.Args) == 1:
					// kingpin's Flag("storage.path", "...").Default("data/")
					if def, ok := fn.X.(*ast.CallExpr); ok && len(def.Args) > 0 {
						if f, ok := def.Fun.(*ast.SelectorExpr); ok && f.Sel.Name == "Flag" {
							g.flagDefault(lit(def.Args[0]), lit(n.Args[0]), line(n))
						}
					}
				case strings.HasPrefix(name, "String") && len(n.Args) >= 3:
					// flag.String("addr", ":8080", "..."), fs.StringVarP(&dir, "data-dir", "d", "./data", "...")
					g.flagDefault(lit(n.Args[len(n.Args)-3]), lit(n.Args[len(n.Args)-2]), line(n))
					if name == "StringVarP" || name == "StringP" {
						g.flagDefault(lit(n.Args[len(n.Args)-4]), lit(n.Args[len(n.Args)-2]), line(n))
					}
				case (strings.HasPrefix(name, "Int") || strings.HasPrefix(name, "Uint")) && len(n.Args) >= 3 && strings.Contains(strings.ToLower(lit(n.Args[len(n.Args)-3])), "port"):
					// flag.Int("port", 8080, "...")
					if b, ok := n.Args[len(n.Args)-2].(*ast.BasicLit); ok && b.Kind == token.INT {
						g.flagDefault("port", ":"+b.Value, line(n))
					}
				case strings.Contains(name, "Flag") && slices.ContainsFunc(n.Args, func(a ast.Expr) bool { return isListenAddr(lit(a)) }):
					// exporter-toolkit's webflag.AddFlags(app, ":9093")
					for _, a := range n.Args {
						if isListenAddr(lit(a)) {
							g.FlagAddrs = append(g.FlagAddrs, goString{Line: line(n), Value: lit(a)})
						}
					}
				case p == "runtime/debug" && name == "ReadBuildInfo":
					g.ReadBuildInfo = true
				case p == "os/signal" && (name == "Notify" || name == "NotifyContext"):
					if len(n.Args) == 1 { // no signals named: all of them
						g.SIGTERM = true
					}
					for _, a := range n.Args[min(1, len(n.Args)):] {
						if s, ok := a.(*ast.SelectorExpr); ok && s.Sel.Name == "SIGTERM" {
							g.SIGTERM = true
						}
					}
				case p == "net/http" && (name == "ListenAndServe" || name == "ListenAndServeTLS") && len(n.Args) > 0:
					g.Listens = append(g.Listens, goListen{Line: line(n), Call: "http." + name, Addr: lit(n.Args[0])})
				case p == "net" && name == "Listen" && len(n.Args) > 1:
					g.Listens = append(g.Listens, goListen{Line: line(n), Call: "net.Listen", Addr: lit(n.Args[1])})
				case p == "" && (name == "ListenAndServe" || name == "ListenAndServeTLS" || name == "Serve" || name == "ServeTLS"):
					// a method: srv.ListenAndServe(), srv.Serve(ln)
					g.Listens = append(g.Listens, goListen{Line: line(n), Call: name})
				case p == "" && (name == "Start" || name == "Run") && len(n.Args) == 1 && isListenAddr(lit(n.Args[0])):
					// echo's e.Start(":8080"), gin's r.Run(":8080")
					g.Listens = append(g.Listens, goListen{Line: line(n), Call: name, Addr: lit(n.Args[0])})
				case p == "" && framework && slices.Contains(frameworkStarts, name) && len(n.Args) <= 3:
					// gin's r.Run(), which reads PORT; echo's e.Start(addr); fiber's app.Listen(addr)
					addr := ""
					if len(n.Args) > 0 {
						addr = lit(n.Args[0])
					}
					g.Listens = append(g.Listens, goListen{Line: line(n), Call: name, Addr: addr})
				}
			}
		}
		return true
	})
	return g
}

// isPortVariable reports whether an environment variable names the port or
// address to listen on: PORT, HTTP_PORT, LISTEN_ADDR, MP_UI_BIND_ADDR.
func isPortVariable(name string) bool {
	for _, w := range []string{"PORT", "ADDR", "LISTEN", "BIND"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// flagDefault records a flag whose default fixes the address to listen on
// or keeps the app's data in a local folder.
func (g *goFile) flagDefault(flag, value string, line int) {
	switch {
	case flag == "" || value == "":
	case isListenAddr(value):
		g.FlagAddrs = append(g.FlagAddrs, goString{Line: line, Value: value})
	case isDataDirFlag(flag) && isLocalPath(value):
		g.DataDirs = append(g.DataDirs, goString{Line: line, Value: flag + " defaults to " + value})
	}
}

// isDataDirFlag reports whether a flag or setting names the folder that
// keeps the app's data: storage.path, data-dir, storage_folder.
func isDataDirFlag(name string) bool {
	n := strings.ToLower(name)
	return (strings.Contains(n, "storage") || strings.Contains(n, "data")) &&
		(strings.Contains(n, "dir") || strings.Contains(n, "path") || strings.Contains(n, "folder") || strings.Contains(n, "root"))
}

// isLocalPath reports whether a default names a folder on the local disk:
// data/, ./storage, /var/lib/app; not a URL, a pattern or a word.
func isLocalPath(v string) bool {
	if strings.Contains(v, "://") || strings.ContainsAny(v, " *$%{") {
		return false
	}
	return strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~/") ||
		strings.HasSuffix(v, "/") || v == "." || v == "data" || v == "storage"
}

// isUploadFlag reports whether a flag names the folder that uploads go to.
func isUploadFlag(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "upload") && (strings.Contains(n, "dir") || strings.Contains(n, "path") || strings.Contains(n, "folder"))
}

// isListenAddr reports whether s is an address to listen on with a fixed
// port: ":8080", "0.0.0.0:8080", "localhost:8080". Port 0 asks for any.
func isListenAddr(s string) bool {
	i := strings.LastIndex(s, ":")
	if i < 0 || strings.Contains(s, "/") {
		return false
	}
	port, err := strconv.Atoi(s[i+1:])
	return err == nil && port > 0 && port < 65536
}

// readsEnv reports whether e calls os.Getenv, os.LookupEnv or a function
// named like them (getenv("X"), env.Get("X")), as a default's sibling does.
func readsEnv(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	var name string
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	}
	n := strings.ToLower(name)
	return strings.Contains(n, "getenv") || strings.Contains(n, "lookupenv")
}
