package checks

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
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
	errs  []error // files that could not be read

	mu        sync.Mutex
	lineCache map[string][]string
}

// file is what Load keeps of one file.
type file struct {
	data    []byte   // the content of a text file, but for Go sources and big files
	text    bool     // not binary, not bigger than maxFileSize
	gofacts *goFile  // facts of a Go source that is not a test
	secrets []secret // secrets written in the file
}

// skipDirs are the folders that Load does not enter, wherever they are:
// version control, vendored and installed dependencies, and test data,
// which the go tool ignores too and which is no part of the app.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, "testdata": true}

// Load lists and reads the regular files of the repository in fsys. It skips
// symbolic links, the folders .git, vendor, node_modules and testdata, and
// what the repository's .gitignore files (and .git/info/exclude) ignore.
// Files are read concurrently, each once; binary files and files bigger
// than 1 MiB are listed but not read.
func Load(fsys fs.FS) (*Repo, error) {
	r := &Repo{FS: fsys, files: map[string]*file{}}
	w := walker{fsys: fsys}
	if data, err := fs.ReadFile(fsys, ".git/info/exclude"); err == nil {
		w.patterns = append(w.patterns, parseIgnore(data, nil)...)
	}
	if err := w.walk(".", nil, r); err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	slices.Sort(r.Files) // a/b comes before a.txt in a walk
	r.read()
	return r, nil
}

// walker lists a tree, honouring .gitignore files as it goes.
type walker struct {
	fsys     fs.FS
	patterns []gitignore.Pattern // of the folders walked so far; each knows its folder
}

func (w *walker) walk(dir string, parts []string, r *Repo) error {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == ".gitignore" && e.Type().IsRegular() {
			data, err := fs.ReadFile(w.fsys, path.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			w.patterns = append(w.patterns, parseIgnore(data, parts)...)
		}
	}
	m := gitignore.NewMatcher(w.patterns)
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		p := append(slices.Clip(parts), e.Name())
		switch {
		case e.IsDir() && skipDirs[e.Name()]:
			if dir == "." && e.Name() == ".git" {
				r.HasGit = true
			}
		case m.Match(p, e.IsDir()):
		case e.IsDir():
			if err := w.walk(name, p, r); err != nil {
				return err
			}
		case e.Type().IsRegular():
			if dir == "." && e.Name() == ".git" { // a worktree's .git file
				r.HasGit = true
				continue
			}
			r.Files = append(r.Files, name)
		}
	}
	return nil
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

// read reads every file, on as many goroutines as there are CPUs, and
// extracts what the rules need from each: Go facts and secrets.
func (r *Repo) read() {
	files := make([]*file, len(r.Files))
	errs := make([]error, len(r.Files))
	var (
		next int
		mu   sync.Mutex
		wg   sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(r.Files) {
					return
				}
				files[i], errs[i] = readFile(r.FS, r.Files[i])
			}
		})
	}
	wg.Wait()
	for i, name := range r.Files {
		r.files[name] = files[i]
	}
	r.errs = slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

// readFile reads one file and extracts its facts.
func readFile(fsys fs.FS, name string) (*file, error) {
	f := &file{}
	src, err := fsys.Open(name)
	if err != nil {
		return f, err
	}
	defer src.Close()
	data, err := io.ReadAll(io.LimitReader(src, maxFileSize+1))
	if err != nil {
		return f, err
	}
	if len(data) > maxFileSize || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return f, nil // too big, or binary as git and grep tell it: a NUL byte near the start
	}
	f.text = true
	f.secrets = findSecrets(name, data)
	if isGoSource(name) {
		f.gofacts = parseGo(name, data)
		return f, nil
	}
	f.data = data
	return f, nil
}

// isGoSource reports whether name is Go code of the app: not a test.
func isGoSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

// lines returns the lines of the named text file; lines[0] is line 1. A Go
// source, a binary or a big file has no lines.
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
// binary or a big file.
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
