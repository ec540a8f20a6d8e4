package checks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// maxFileSize is the size above which a file is listed but not read: rules
// read sources and configuration, not data dumps or generated bundles.
const maxFileSize = 1 << 20

// Repo is a repository to audit: its files, each read once by [Load].
type Repo struct {
	FS    fs.FS
	Files []string // every regular file, as sorted slash paths from the root

	// HasGit is true when the root holds a .git folder or file.
	HasGit bool
	inVCS  bool // a parent folder holds .git

	files map[string]*file
	// unread are the folders and files that could not be read, each with
	// the reason: the audit goes on without them.
	unread []string

	mu        sync.Mutex
	lineCache map[string][]string

	serversOnce sync.Once
	serverSites []Finding // where servers start; see servers
	pyWeb       bool      // Python code imports a web framework

	// sqliteSites and localFallbacks read every script's lines and are
	// asked by IV, VI and X: computed once, they save ghost's run of the
	// corpus about 150 ms of its 0.9 s.
	sqliteOnce   sync.Once
	sqlite       []sqliteSite
	sqliteServer bool
	fallbackOnce sync.Once
	fallbacks    []Finding

	loadedOnce sync.Once
	loaded     map[string]bool // files of examples and tests that the app loads; see loadedByApp
}

// file is what Load keeps of one file.
type file struct {
	data    []byte   // the content of a text file that rules read: see kept
	text    bool     // not binary, not bigger than maxFileSize
	gofacts *goFile  // facts of a Go source that is not a test
	secrets []secret // secrets written in the file
	refs    []string // paths into folders of examples and tests that it names: see exampleRefs
}

// skipDirs are the folders that Load does not enter, wherever they are:
// version control, vendored and installed dependencies, and test data,
// which the go tool ignores too and which is no part of the app.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, "testdata": true}

// Load lists and reads the regular files of the repository in fsys. It skips
// symbolic links, the folders .git, vendor, node_modules and testdata, and
// what the repository's .gitignore files (and .git/info/exclude) ignore. It
// reads each file once and extracts what the rules need; binary files and
// files bigger than 1 MiB are listed but not read.
func Load(fsys fs.FS) (*Repo, error) {
	r := &Repo{FS: fsys, files: map[string]*file{}}
	var exclude []gitignore.Pattern
	if data, err := fs.ReadFile(fsys, ".git/info/exclude"); err == nil {
		exclude = parseIgnore(data, nil)
	}
	if err := r.walk(".", nil, exclude); err != nil {
		return nil, fmt.Errorf("cannot list the repository: %w: make the folder readable, or list it in .gitignore", err)
	}
	slices.Sort(r.Files)
	slices.Sort(r.unread)
	return r, nil
}

// walk reads the folder dir, at parts from the root, and the folders in it.
// patterns are the ignore patterns of its parents. Only an unreadable root
// is an error: another folder that cannot be read is listed as unread.
func (r *Repo) walk(dir string, parts []string, patterns []gitignore.Pattern) error {
	if len(parts) > maxDepth {
		r.unread = append(r.unread, fmt.Sprintf("%s: deeper than %d folders", dir, maxDepth))
		return nil
	}
	entries, err := fs.ReadDir(r.FS, dir)
	var ignore []byte
	if err == nil && slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".gitignore" && e.Type().IsRegular() }) {
		ignore, err = fs.ReadFile(r.FS, path.Join(dir, ".gitignore"))
	}
	if err != nil {
		if dir == "." {
			return err
		}
		r.unread = append(r.unread, dir+": "+reason(err))
		return nil
	}
	// A folder's patterns come after its parents': they take precedence.
	patterns = append(slices.Clip(patterns), parseIgnore(ignore, parts)...)
	m := gitignore.NewMatcher(patterns)
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		p := append(slices.Clip(parts), e.Name())
		switch {
		case dir == "." && e.Name() == ".git": // a folder, or a worktree's file
			r.HasGit = true
		case e.IsDir() && skipDirs[e.Name()]:
		case m.Match(p, e.IsDir()):
		case e.IsDir():
			if err := r.walk(name, p, patterns); err != nil {
				return err
			}
		case e.Type().IsRegular():
			f, err := readFile(r.FS, name)
			r.Files = append(r.Files, name)
			r.files[name] = f
			if err != nil {
				r.unread = append(r.unread, name+": "+reason(err))
			}
		}
	}
	return nil
}

// maxDepth is how deep Load goes: no application nests its folders
// further, and a tree that does is a generated or hostile one.
const maxDepth = 100

// reason is an error without the operation and path that a
// *fs.PathError repeats.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseIgnore returns the patterns of a .gitignore file in the folder
// domain.
func parseIgnore(data []byte, domain []string) []gitignore.Pattern {
	var ps []gitignore.Pattern
	for _, l := range splitLines(string(data)) {
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(l, domain))
	}
	return ps
}

// readFile reads one file and extracts its facts.
func readFile(fsys fs.FS, name string) (*file, error) {
	f := &file{}
	src, err := fsys.Open(name)
	if err != nil {
		return f, err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return f, err
	}
	if fi.Size() > maxFileSize {
		return f, nil // too big: not worth reading to find out
	}
	// One allocation of Stat's size, as os.ReadFile makes (io.ReadAll's
	// growing buffer costs a tenth of the time on GOROOT), and a byte more
	// to see a file that grew since.
	data := make([]byte, fi.Size()+1)
	n, err := io.ReadFull(src, data)
	switch err {
	case io.EOF, io.ErrUnexpectedEOF:
		data = data[:n]
	case nil: // it grew: read on, to the limit
		rest, err := io.ReadAll(io.LimitReader(src, maxFileSize+1-int64(n)))
		if err != nil {
			return f, err
		}
		data = append(data, rest...)
	default:
		return f, err
	}
	if len(data) > maxFileSize || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return f, nil // too big, or binary as git and grep tell it: a NUL byte near the start
	}
	f.text = true
	if isMinified(name, data) {
		return f, nil // a generated bundle: its source, if the app ships it, is what the rules read
	}
	f.secrets = findSecrets(name, data)
	f.refs = exampleRefs(data)
	if isGoSource(name) {
		f.gofacts = parseGo(name, data)
		return f, nil
	}
	if kept(name) {
		f.data = data
	}
	return f, nil
}

// maxSourceLine is the longest line that a JavaScript file written by hand
// has: a bundler's or minifier's output puts whole modules on one line.
const maxSourceLine = 4096

// isMinified reports whether a JavaScript file is a minified bundle, which
// a build made from sources: more than half of its bytes are in lines longer
// than maxSourceLine that hold code (a function, an arrow, a return). A
// source map comment does not count, nor does a long data literal in a file
// written by hand: the rest of that file is read. Reading a bundle costs as
// much as the app's own code and tells nothing that its sources do not.
func isMinified(name string, data []byte) bool {
	switch path.Ext(name) {
	case ".js", ".mjs", ".cjs":
	default:
		return false
	}
	if len(data) <= maxSourceLine {
		return false
	}
	long, total := 0, 0
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line = data[:i+1]
		}
		data = data[len(line):]
		if bytes.HasPrefix(line, []byte("//# sourceMappingURL=")) {
			continue // a build's source map, even inline: a comment, not code
		}
		total += len(line)
		if len(line) > maxSourceLine && holdsCode(line) {
			long += len(line)
		}
	}
	return 2*long > total
}

// holdsCode reports whether a line of JavaScript holds code, not only data.
func holdsCode(line []byte) bool {
	return bytes.Contains(line, []byte("function")) || bytes.Contains(line, []byte("=>")) || bytes.Contains(line, []byte("return"))
}

// kept reports whether Load keeps the content of a file for the rules,
// which read manifests, build, run and deploy files, shell scripts, the
// scripts of bin/ folders, and Python and JavaScript code; the secrets of every file are found as it is
// read.
func kept(name string) bool {
	base := path.Base(name)
	b := strings.ToLower(base)
	switch path.Ext(b) {
	case ".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".bash", ".yml", ".yaml", ".tf", ".json", ".toml", ".txt", ".service", ".mk", ".ini", ".conf", ".cfg",
		".env", ".example", ".sample", ".template", ".dist":
		return true
	}
	return b == "makefile" || b == "gnumakefile" || b == "config" || b == "go.mod" || b == "pipfile" || strings.HasPrefix(b, ".env") ||
		isDockerfile(base) || isProcfile(base) || path.Base(path.Dir(name)) == "logrotate.d" || isBinScript(name)
}

// isBinScript reports whether a file is a script without an extension in
// a bin/ or sbin/ folder, as the programs that a package installs are:
// IX reads the Python ones for the server they start.
func isBinScript(name string) bool {
	if path.Ext(name) != "" {
		return false
	}
	d := path.Base(path.Dir(name))
	return d == "bin" || d == "sbin"
}

// isGoSource reports whether name is Go code of the app: not a test.
func isGoSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

// lines returns the lines of the named text file; lines[0] is line 1. A Go
// source, a binary, a big file or a file no rule reads has no lines.
func (r *Repo) lines(name string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.lineCache[name]; ok {
		return l
	}
	var l []string
	if f := r.files[name]; f != nil && f.data != nil {
		l = splitLines(string(f.data))
	}
	if r.lineCache == nil {
		r.lineCache = map[string][]string{}
	}
	r.lineCache[name] = l
	return l
}

// data returns the content of the named text file, nil for a Go source, a
// binary, a big file or a file no rule reads.
func (r *Repo) data(name string) []byte {
	if f := r.files[name]; f != nil {
		return f.data
	}
	return nil
}

// goFiles returns the facts of every Go source that is not a test, by file
// name, in file order.
func (r *Repo) goFiles() []*goFile {
	var out []*goFile
	for _, name := range r.Files {
		if f := r.files[name]; f.gofacts != nil {
			out = append(out, f.gofacts)
		}
	}
	return out
}
