// Package checks audits a repository against the twelve factors
// (https://12factor.net). Each [Rule] reads the files of a [Repo] and reports
// what is wrong as [Finding]s, each saying how to fix it.
//
// The rules read Go code (parsed with go/parser), Python and Node.js basics,
// and the artifacts that every service has whatever its language:
// Dockerfiles, Procfiles, shell scripts, systemd units, compose files and
// dependency manifests. [Load] reads every file once, but those that
// .gitignore ignores and those under .git, vendor, node_modules and
// testdata. [Check] gives a verdict per factor, a [Report] that prints
// as text, JSON or SARIF.
package checks

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
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
	Rule    string `json:"rule"`    // the rule's ID: ruleExecFormEntrypoint
	Factor  string `json:"-"`       // the factor's roman numeral, "I" to "XII"
	Status  Status `json:"status"`  // Warn or Fail
	Message string `json:"message"` // what is wrong and how to fix it, in one sentence
	File    string `json:"file"`    // slash path from the audited folder
	Line    int    `json:"line"`    // 1-based, 0 when the finding is not about a line
}

// String formats f as "Dockerfile:12: fail IX-exec-form-entrypoint: message".
func (f Finding) String() string {
	where := f.File
	if where == "" {
		where = "."
	}
	if f.Line > 0 {
		where = fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s: %s %s: %s", where, f.Status, f.Rule, f.Message)
}

// Rule is one check of one factor.
type Rule struct {
	ID      string                  // the factor, a dash and a name: ruleExecFormEntrypoint
	Factor  string                  // the factor's roman numeral, "I" to "XII"
	Title   string                  // what the rule wants, in a few words
	NA      string                  // when it does not apply: "there is no Dockerfile"
	Check   func(r *Repo) []Finding // nil when the repository passes
	Applies func(r *Repo) bool      // false when the rule is n/a for the repository
}

// Rules returns every rule, in factor order.
func Rules() []Rule {
	return []Rule{
		codebase,
		goSum,
		goLocalReplace,
		pythonPinned,
		nodeLockfile,
		envFiles,
		perEnvironmentConfig,
		secrets,
		hardCodedBackingServices,
		unpinnedBaseImage,
		versionStamped,
		containerRoot,
		systemdRoot,
		localState,
		portBinding,
		procfileFormat,
		processTypes,
		execFormEntrypoint,
		runScriptExec,
		sigterm,
		backingServiceParity,
		logFiles,
		printLogging,
		adminProcesses,
	}
}

// Options tune an audit.
type Options struct {
	// Dir is the directory that the audited fs.FS reads, when it is one:
	// its parent folders tell whether it is in a git repository.
	Dir string
}

// Audit loads the repository in fsys and runs every rule that applies to it.
// The findings come sorted by factor, file and line.
func Audit(fsys fs.FS) ([]Finding, error) {
	rep, err := Check(fsys, Options{})
	if err != nil {
		return nil, err
	}
	return rep.Findings(), nil
}

// Check audits the repository in fsys and returns the verdict of every
// factor and rule.
func Check(fsys fs.FS, opts Options) (*Report, error) {
	r, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	r.inVCS = opts.Dir != "" && GitRoot(opts.Dir) != ""
	rep := &Report{Files: len(r.Files)}
	for i, f := range factors {
		rep.Factors = append(rep.Factors, FactorReport{Factor: f, Title: factorTitles[i], Status: NA, Findings: []Finding{}})
	}
	for _, rule := range Rules() {
		fr := &rep.Factors[factorNumber(rule.Factor)-1]
		rr := RuleReport{ID: rule.ID, Title: rule.Title, Status: NA, NA: rule.NA}
		if rule.Applies(r) {
			found := rule.Check(r)
			rr.Status = worst(Pass, found)
			fr.Findings = append(fr.Findings, found...)
		}
		fr.Rules = append(fr.Rules, rr)
		fr.Status = worstStatus(fr.Status, rr.Status)
	}
	rep.Unread = r.unread
	for i := range rep.Factors {
		slices.SortStableFunc(rep.Factors[i].Findings, func(a, b Finding) int {
			return cmp.Or(
				strings.Compare(a.File, b.File),
				cmp.Compare(a.Line, b.Line),
				strings.Compare(a.Rule, b.Rule),
			)
		})
	}
	return rep, nil
}

// GitRoot returns the folder that holds the .git of the repository that dir
// is in, or "" when dir is in none.
func GitRoot(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// worst returns the worst status of s and the findings.
func worst(s Status, found []Finding) Status {
	for _, f := range found {
		s = worstStatus(s, f.Status)
	}
	return s
}

// worstStatus orders the statuses n/a < pass < warn < fail.
func worstStatus(a, b Status) Status {
	rank := map[Status]int{NA: 0, Pass: 1, Warn: 2, Fail: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
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

// The factors, by the roman numerals of https://12factor.net: the one place
// that spells them. A rule's ID starts with its factor's.
const (
	factorCodebase        = "I"
	factorDependencies    = "II"
	factorConfig          = "III"
	factorBackingServices = "IV"
	factorBuildReleaseRun = "V"
	factorProcesses       = "VI"
	factorPortBinding     = "VII"
	factorConcurrency     = "VIII"
	factorDisposability   = "IX"
	factorDevProdParity   = "X"
	factorLogs            = "XI"
	factorAdminProcesses  = "XII"
)

// factors are the factors in order, I to XII.
var factors = []string{
	factorCodebase, factorDependencies, factorConfig, factorBackingServices,
	factorBuildReleaseRun, factorProcesses, factorPortBinding, factorConcurrency,
	factorDisposability, factorDevProdParity, factorLogs, factorAdminProcesses,
}

// factorTitles are the factors' names, as https://12factor.net gives them.
var factorTitles = []string{"Codebase", "Dependencies", "Config", "Backing services", "Build, release, run", "Processes", "Port binding", "Concurrency", "Disposability", "Dev/prod parity", "Logs", "Admin processes"}

// factorPages are the pages of https://12factor.net, one per factor.
var factorPages = []string{"codebase", "dependencies", "config", "backing-services", "build-release-run", "processes", "port-binding", "concurrency", "disposability", "dev-prod-parity", "logs", "admin-processes"}

// factorNumber returns 1 for "I" up to 12 for "XII", and 0 for anything else.
func factorNumber(f string) int { return slices.Index(factors, f) + 1 }

// lazyRegexp compiles pattern when it is first used. Every twelve command
// links this package, and compiling its patterns at start-up took 2 to 4 ms
// of each, twelve new and twelve version included (bench/RESULTS.md).
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
