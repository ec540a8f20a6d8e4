package checks

import (
	"encoding/json"
	"path"
	"slices"
	"strings"
)

// Where the app starts a server, which several factors judge.

// mains returns the Go sources that hold a func main, but examples and
// tests: programs that show or test the app are not the app.
func (r *Repo) mains() []*goFile {
	var out []*goFile
	for _, g := range r.goFiles() {
		if g.Main && !isExamplePath(g.Name) {
			out = append(out, g)
		}
	}
	return out
}

// pyWebFramework matches a Python import of a web framework.
var pyWebFramework = lazyRegexp(`^(?:from|import)\s+(?:flask|django|fastapi|starlette|aiohttp|tornado|bottle|falcon|pyramid|sanic|quart)\b`)

// servers returns where the repository starts a server: Go code that
// listens in a repository with a func main, Python code that imports a web
// framework, JavaScript that calls listen. It is computed once.
func (r *Repo) servers() []Finding {
	r.serversOnce.Do(func() {
		app := len(r.mains()) > 0 // a library that serves is no app
		for _, g := range r.goFiles() {
			if !app || len(g.Listens) == 0 || isExamplePath(g.Name) {
				continue
			}
			for _, l := range g.Listens {
				r.serverSites = append(r.serverSites, Finding{File: g.Name, Line: l.Line})
			}
		}
		r.scriptLines(func(name string, line int, code string) {
			py := strings.HasSuffix(name, ".py")
			if py && isImport(code) && pyWebFramework().MatchString(code) {
				r.pyWeb = true
				r.serverSites = append(r.serverSites, Finding{File: name, Line: line})
			}
			if !py && strings.Contains(code, ".listen(") && !strings.Contains(code, ".listen()") && !isBrowserCode(name) && !isExamplePath(name) && !r.inBrowserPackage(name) {
				r.serverSites = append(r.serverSites, Finding{File: name, Line: line})
			}
		})
	})
	return r.serverSites
}

// isBrowserCode reports whether a JavaScript file is served to browsers,
// not run by Node.js: it is in a folder of static assets.
func isBrowserCode(name string) bool {
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case "static", "public", "assets", "www", "wwwroot", "frontend", "bower_components":
			return true
		}
	}
	return strings.HasSuffix(name, ".min.js")
}

// browserDeps name the packages that make a package.json a browser app's,
// and serverDeps those that make it a Node.js server's, whatever else it
// depends on.
var (
	browserDeps = []string{"react-dom", "react-scripts", "vue", "@angular/core", "svelte", "preact", "@vue/cli-service"}
	serverDeps  = []string{"express", "koa", "fastify", "@hapi/hapi", "hapi", "restify", "next", "nuxt", "@nestjs/core", "connect", "polka", "micro", "zappajs", "socket.io", "ws", "sails"}
)

// inBrowserPackage reports whether the package.json nearest to a
// JavaScript or TypeScript file is a browser app's: it depends on a UI
// framework and on no Node.js server framework, so its code runs in
// browsers (a React app's this.listen(callback) is no server).
func (r *Repo) inBrowserPackage(name string) bool {
	for dir := path.Dir(name); ; dir = path.Dir(dir) {
		if pj := path.Join(dir, "package.json"); r.has(pj) {
			var pkg struct {
				Dependencies, DevDependencies map[string]string
			}
			if json.Unmarshal(r.data(pj), &pkg) != nil {
				return false
			}
			dep := func(n string) bool { _, a := pkg.Dependencies[n]; _, b := pkg.DevDependencies[n]; return a || b }
			return slices.ContainsFunc(browserDeps, dep) && !slices.ContainsFunc(serverDeps, dep)
		}
		if dir == "." || dir == "/" {
			return false
		}
	}
}

// isImport reports whether a line of Python imports.
func isImport(code string) bool {
	return strings.HasPrefix(code, "from ") || strings.HasPrefix(code, "import ")
}

// goServes reports whether a Go program listens.
func (r *Repo) goServes() bool {
	return len(r.mains()) > 0 && slices.ContainsFunc(r.goFiles(), func(g *goFile) bool { return len(g.Listens) > 0 && !isExamplePath(g.Name) })
}

// jsServers returns where JavaScript calls listen.
func (r *Repo) jsServers() []Finding {
	var out []Finding
	for _, s := range r.servers() {
		if !strings.HasSuffix(s.File, ".go") && !strings.HasSuffix(s.File, ".py") {
			out = append(out, s)
		}
	}
	return out
}

// pythonWebApp reports whether Python code imports a web framework.
func (r *Repo) pythonWebApp() bool {
	r.servers()
	return r.pyWeb
}

// isExamplePath reports whether a file is in a folder of examples, demos
// or tests: code that shows or tests the app, and is not the app.
func isExamplePath(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		switch strings.ToLower(path.Base(dir)) {
		case "example", "examples", "_examples", "sample", "samples", "demo", "demos", "test", "tests", "testing", "e2e", "__tests__", "spec":
			return true
		}
	}
	return false
}
