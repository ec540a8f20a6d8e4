// Package checks audits a repository against the twelve factors
// (https://12factor.net). Each [Rule] reads the files of a [Repo] and reports
// what is wrong as [Finding]s, each saying how to fix it.
//
// The rules read artifacts that every service has whatever its language:
// Dockerfiles, Procfiles and shell scripts. [Load] walks every file but those
// under .git, vendor and node_modules folders; it does not honour .gitignore
// yet, so ignored files are audited too.
package checks

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Status is the outcome of a rule for a repository. A [Finding] is a warn or a
// fail; a rule without findings passes, and one that does not apply is n/a.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	NA   Status = "n/a"
)

// Finding is one thing a rule found wrong.
type Finding struct {
	Rule    string // the rule's ID: "IX-exec-form-entrypoint"
	Factor  string // the factor's roman numeral, "I" to "XII"
	Status  Status // Warn or Fail
	Message string // what is wrong and how to fix it, in one sentence
	File    string // slash path from the repository's root
	Line    int    // 1-based, 0 when the finding is not about a line
}

// String formats f as "Dockerfile:12: fail IX-exec-form-entrypoint: message".
func (f Finding) String() string {
	where := f.File
	if f.Line > 0 {
		where = fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s: %s %s: %s", where, f.Status, f.Rule, f.Message)
}

// Rule is one check of one factor.
type Rule struct {
	ID      string                  // the factor, a dash and a name: "IX-exec-form-entrypoint"
	Factor  string                  // the factor's roman numeral, "I" to "XII"
	Title   string                  // what the rule wants, in a few words
	Check   func(r *Repo) []Finding // nil when the repository passes
	Applies func(r *Repo) bool      // false when the rule is n/a for the repository
}

// Rules returns every rule, in factor order.
func Rules() []Rule {
	return []Rule{
		unpinnedBaseImage,
		containerRoot,
		procfileFormat,
		execFormEntrypoint,
		runScriptExec,
		logFiles,
	}
}

// Audit loads the repository in fsys and runs every rule that applies to it.
// The findings come sorted by factor, file and line.
func Audit(fsys fs.FS) ([]Finding, error) {
	r, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, rule := range Rules() {
		if rule.Applies(r) {
			out = append(out, rule.Check(r)...)
		}
	}
	if err := errors.Join(r.errs...); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(factorNumber(a.Factor), factorNumber(b.Factor)),
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			strings.Compare(a.Rule, b.Rule),
		)
	})
	return out, nil
}

// Repo is a repository to audit.
type Repo struct {
	FS    fs.FS
	Files []string // every regular file, as sorted slash paths from the root

	lineCache map[string][]string
	errs      []error // files that could not be read
}

// skipDirs are the folders that Load does not enter, wherever they are.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true}

// Load lists the regular files of the repository in fsys; it skips symbolic
// links, as well as the folders .git, vendor and node_modules.
func Load(fsys fs.FS) (*Repo, error) {
	r := &Repo{FS: fsys}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && name != "." && skipDirs[d.Name()]:
			return fs.SkipDir
		case d.Type().IsRegular():
			r.Files = append(r.Files, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	slices.Sort(r.Files) // WalkDir puts "a/b" before "a.txt"
	return r, nil
}

// lines returns the lines of the named file; lines[0] is line 1. A file that
// cannot be read has no lines, and Audit reports why.
func (r *Repo) lines(name string) []string {
	if l, ok := r.lineCache[name]; ok {
		return l
	}
	data, err := fs.ReadFile(r.FS, name)
	if err != nil {
		r.errs = append(r.errs, err)
	}
	l := splitLines(string(data))
	if r.lineCache == nil {
		r.lineCache = map[string][]string{}
	}
	r.lineCache[name] = l
	return l
}

// splitLines splits text into lines, without their "\n" or "\r\n".
func splitLines(text string) []string {
	l := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i := range l {
		l[i] = strings.TrimSuffix(l[i], "\r")
	}
	return l
}

// filesWhere returns the files whose base name satisfies match.
func (r *Repo) filesWhere(match func(base string) bool) []string {
	var out []string
	for _, f := range r.Files {
		if match(path.Base(f)) {
			out = append(out, f)
		}
	}
	return out
}

// has reports whether the repository holds the file name.
func (r *Repo) has(name string) bool {
	_, ok := slices.BinarySearch(r.Files, name)
	return ok
}

// finding builds a finding of rule, whose factor prefixes its ID.
func finding(rule string, s Status, file string, line int, format string, args ...any) Finding {
	factor, _, _ := strings.Cut(rule, "-")
	return Finding{Rule: rule, Factor: factor, Status: s, Message: fmt.Sprintf(format, args...), File: file, Line: line}
}

var factors = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// factorNumber returns 1 for "I" up to 12 for "XII", and 0 for anything else.
func factorNumber(f string) int { return slices.Index(factors, f) + 1 }
