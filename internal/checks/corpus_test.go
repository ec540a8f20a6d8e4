package checks

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// corpusDetail prints, for the tuned half, every labelled violation missed
// and every false failure: the list to work from when changing rules. The
// held-out half shows only its figures unless it is "all".
var corpusDetail = flag.String("corpus.detail", "", `"tune" or "all": list the misses and false failures of that half of the corpus`)

// corpusApp is one application of testdata/corpus/sources.txt.
type corpusApp struct {
	Name, Lang, Half string
	Sum              string // sha256 of the archive, as the fetch script records it
}

// corpusLabel is one line of testdata/corpus/labels.txt.
type corpusLabel struct {
	App, Factor string
	Violation   bool
	Evidence    string
	Reason      string
}

func readCorpus(t *testing.T) ([]corpusApp, []corpusLabel) {
	t.Helper()
	var apps []corpusApp
	var labels []corpusLabel
	for _, l := range readLines(t, "testdata/corpus/sources.txt") {
		f := strings.Fields(l)
		if len(f) != 6 {
			t.Fatalf("sources.txt: %q: want name, lang, half, kind, package and sha256", l)
		}
		apps = append(apps, corpusApp{Name: f[0], Lang: f[1], Half: f[2], Sum: f[5]})
	}
	for _, l := range readLines(t, "testdata/corpus/labels.txt") {
		f := strings.Split(l, " | ")
		if len(f) != 5 || (f[2] != "violation" && f[2] != "clean") || factorNumber(f[1]) == 0 {
			t.Fatalf("labels.txt: %q: want app | factor | violation or clean | file:line | reason", l)
		}
		if !slices.ContainsFunc(apps, func(a corpusApp) bool { return a.Name == f[0] }) {
			t.Fatalf("labels.txt: %q: no such app in sources.txt", l)
		}
		labels = append(labels, corpusLabel{App: f[0], Factor: f[1], Violation: f[2] == "violation", Evidence: f[3], Reason: f[4]})
	}
	return apps, labels
}

// readLines returns the lines of a file but blank lines and comments.
func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if l := strings.TrimSpace(s.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusCache returns the folder scripts/corpus.sh fills by default.
func corpusCache() string {
	if d := os.Getenv("TWELVE_CORPUS"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "twelve", "corpus")
}

// corpusReady reports whether every app of the corpus is unpacked in cache
// from the archive that sources.txt names.
func corpusReady(cache string, apps []corpusApp) bool {
	if GitRoot(cache) == "" {
		return false
	}
	for _, a := range apps {
		sum, err := os.ReadFile(filepath.Join(cache, a.Name+".sha256"))
		if err != nil || strings.TrimSpace(string(sum)) != a.Sum {
			return false
		}
	}
	return true
}

// TestCorpus runs twelve check on the corpus of real applications (issue 19)
// and prints, per half and factor, how many labelled violations it reports
// as fail or warn, and how many labelled-clean factors it fails. It skips
// when the corpus is not fetched, unless TWELVE_REQUIRE_TOOLS is set: then
// it fetches it with scripts/corpus.sh, and fails if that fails. It is a
// measurement of about 5 s, not a unit test: -short leaves it out.
//
//	go test ./internal/checks -run Corpus -v [-corpus.detail tune]
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus is measured by the full suite: go test ./internal/checks -run Corpus -v")
	}
	apps, labels := readCorpus(t)
	cache := corpusCache()
	if !corpusReady(cache, apps) {
		if os.Getenv("TWELVE_REQUIRE_TOOLS") == "" {
			t.Skipf("the corpus is not in %s: run scripts/corpus.sh (or set TWELVE_REQUIRE_TOOLS=1 to fetch it here)", cache)
		}
		cmd := exec.Command("../../scripts/corpus.sh", cache)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/corpus.sh: %v\n%s", err, out)
		}
		if !corpusReady(cache, apps) {
			t.Fatalf("scripts/corpus.sh ran but %s is not complete", cache)
		}
	}

	// status[app][factor] is the worst status of the factor's findings.
	// scripts/corpus.sh makes the cache a git repository, so that I is
	// judged on what the application holds, not on the archive's lack of
	// a .git.
	status := map[string]map[string]Status{}
	findings := map[string][]Finding{}
	var slowest time.Duration
	var slowestApp string
	for _, a := range apps {
		dir := filepath.Join(cache, a.Name)
		start := time.Now()
		rep, err := Check(os.DirFS(dir), Options{Dir: dir})
		took := time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		// The time is reported, not asserted: a test's timing is the
		// machine's, and the 1 s goal is judged in bench/RESULTS.md.
		if took > slowest {
			slowest, slowestApp = took, a.Name
		}
		status[a.Name] = map[string]Status{}
		for _, f := range rep.Findings() {
			if f.File == "" || f.Message == "" {
				t.Errorf("%s: %s has no file or no message", a.Name, f)
			}
			status[a.Name][f.Factor] = worstStatus(status[a.Name][f.Factor], f.Status)
			findings[a.Name] = append(findings[a.Name], f)
		}
	}

	type tally struct{ violations, caught, clean, falseFail, falseWarn int }
	half := map[string]string{}
	for _, a := range apps {
		half[a.Name] = a.Half
	}
	per := map[string]map[string]*tally{"tune": {}, "hold": {}}
	for _, l := range labels {
		h := half[l.App]
		for _, key := range []string{l.Factor, "all"} {
			if per[h][key] == nil {
				per[h][key] = &tally{}
			}
		}
		s := status[l.App][l.Factor]
		for _, tl := range []*tally{per[h][l.Factor], per[h]["all"]} {
			switch {
			case l.Violation:
				tl.violations++
				if s == Warn || s == Fail {
					tl.caught++
				}
			default:
				tl.clean++
				if s == Fail {
					tl.falseFail++
				}
				if s == Warn {
					tl.falseWarn++
				}
			}
		}
		if d := *corpusDetail; d == "all" || d == h {
			var got []string
			for _, f := range findings[l.App] {
				if f.Factor == l.Factor {
					got = append(got, "\t\t"+f.String())
				}
			}
			switch {
			case l.Violation && s != Warn && s != Fail:
				t.Logf("missed: %s %s at %s: %s", l.App, l.Factor, l.Evidence, l.Reason)
			case !l.Violation && s == Fail:
				t.Logf("false failure: %s %s (%s):\n%s", l.App, l.Factor, l.Reason, strings.Join(got, "\n"))
			case !l.Violation && s == Warn:
				t.Logf("false warning: %s %s (%s):\n%s", l.App, l.Factor, l.Reason, strings.Join(got, "\n"))
			}
		}
	}
	t.Logf("%d apps, the slowest run %v (%s)", len(apps), slowest.Round(time.Millisecond), slowestApp)
	for _, h := range []string{"tune", "hold"} {
		var b strings.Builder
		fmt.Fprintf(&b, "%s half:\n  factor  recall (caught/violations)  false failures/clean  false warnings/clean\n", map[string]string{"tune": "tuned", "hold": "held-out"}[h])
		for _, f := range append(slices.Clone(factors), "all") {
			tl := per[h][f]
			if tl == nil {
				continue
			}
			recall := "-"
			if tl.violations > 0 {
				recall = fmt.Sprintf("%3.0f%%", 100*float64(tl.caught)/float64(tl.violations))
			}
			fmt.Fprintf(&b, "  %-6s  %4s (%d/%d)%*s  %d/%d%*s  %d/%d\n", f, recall, tl.caught, tl.violations,
				18-len(fmt.Sprintf("(%d/%d)", tl.caught, tl.violations)), "", tl.falseFail, tl.clean,
				18-len(fmt.Sprintf("%d/%d", tl.falseFail, tl.clean)), "", tl.falseWarn, tl.clean)
		}
		t.Log(b.String())
	}
}
