package answers

import (
	"fmt"
	"slices"
	"strings"
)

// stdRoots are the first elements of the standard library's package
// paths (`go list std | cut -d/ -f1 | sort -u`, without vendor), as of Go
// 1.26; TestStdRootsAreCurrent checks them against the go command. A
// module whose path starts with one of them shadows the standard library:
// `import "fmt"` or the module's own root package would be the standard
// one, and the service would not build.
var stdRoots = []string{
	"archive", "bufio", "bytes", "cmp", "compress", "container", "context", "crypto",
	"database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go",
	"hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math",
	"mime", "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices",
	"sort", "strconv", "strings", "structs", "sync", "syscall", "testing", "text",
	"time", "unicode", "unique", "unsafe", "weak",
}

// reservedPaths are module paths the go command gives another meaning:
// go.mod's go and toolchain lines, and the package patterns std, cmd, all
// and tool.
var reservedPaths = []string{"go", "toolchain", "std", "cmd", "all", "tool"}

// reservedModule says what is wrong with a module path that is a valid
// import path but cannot be a module's (one that `go build` would not
// build), and suggests one that can; "" when there is nothing wrong.
func reservedModule(path string) string {
	first, _, _ := strings.Cut(path, "/")
	suggest := "example.com/" + path
	switch {
	case slices.Contains(reservedPaths, path):
		return fmt.Sprintf("module path %s is reserved by the go command: use a path of your own, e.g. --module %s", Show(path), suggest)
	case slices.Contains(stdRoots, first):
		return fmt.Sprintf("module path %s shadows the standard library's %s: use a path of your own, e.g. --module %s", Show(path), first, suggest)
	case first == "vendor" || first == "cmd":
		return fmt.Sprintf("module path %s starts with %s, which the go command keeps for itself: use a path of your own, e.g. --module %s", Show(path), first, suggest)
	}
	return ""
}
