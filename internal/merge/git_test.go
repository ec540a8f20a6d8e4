package merge

import (
	"bytes"
	"cmp"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// gitLabels are the labels the tests pass to Merge and to git merge-file.
var gitLabels = Labels{Ours: "yours", Base: "twelve OLD", Theirs: "twelve NEW"}

// needGit skips the test when git is not on the PATH, unless
// TWELVE_REQUIRE_TOOLS is set, as CI sets it: then it fails.
func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
			t.Fatalf("git is required: %v", err)
		}
		t.Skipf("git not found: %v", err)
	}
}

// gitMerge merges as git merge-file --diff3 does, and returns the merged
// text and the number of conflicts, git's exit status.
func gitMerge(t testing.TB, dir string, base, ours, theirs []byte) ([]byte, int) {
	t.Helper()
	for name, text := range map[string][]byte{"base": base, "ours": ours, "theirs": theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "merge-file", "-p", "--diff3",
		"-L", gitLabels.Ours, "-L", gitLabels.Base, "-L", gitLabels.Theirs,
		"ours", "base", "theirs")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() > 0 && stderr.Len() == 0:
		return out, exit.ExitCode()
	case err != nil:
		t.Fatalf("git merge-file: %v: %s", err, stderr.Bytes())
	}
	return out, 0
}

// gitDiff returns the line diff git's xdiff makes from before to after,
// as git merge-file makes it (Myers, no indent heuristic), in hunks.
func gitDiff(t testing.TB, dir string, before, after []byte) []hunk {
	t.Helper()
	for name, text := range map[string][]byte{"before": before, "after": after} {
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("git", "diff", "--no-index", "--no-color", "--no-ext-diff",
		"--no-indent-heuristic", "--diff-algorithm=myers", "-U0", "before", "after")
	cmd.Dir = dir
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("git diff: %v", err)
	}
	lines := splitLines(string(after))
	var hs []hunk
	for _, line := range strings.Split(string(out), "\n") {
		var b, a [2]int
		if !strings.HasPrefix(line, "@@ ") {
			continue
		}
		f := strings.Fields(line)
		b, a = gitRange(f[1][1:]), gitRange(f[2][1:])
		hs = append(hs, hunk{start: b[0], end: b[0] + b[1], lines: lines[a[0] : a[0]+a[1]]})
	}
	return hs
}

// gitRange turns a range of a unified hunk header, "start,count", into a
// 0-based start and a count.
func gitRange(s string) [2]int {
	start, count, ok := strings.Cut(s, ",")
	n := 1
	if ok {
		n, _ = strconv.Atoi(count)
	}
	i, _ := strconv.Atoi(start)
	if n > 0 {
		i--
	}
	return [2]int{i, n}
}

// sameDiffs reports whether git's xdiff and this package's diff agree on
// base→ours and base→theirs.
func sameDiffs(t testing.TB, dir string, base, ours, theirs []byte) bool {
	b := toLF(base)
	for _, side := range [][]byte{ours, theirs} {
		got, want := diff(b, toLF(side)), gitDiff(t, dir, base, side)
		if !slices.EqualFunc(got, want, same) {
			return false
		}
	}
	return true
}

// fragments are the pieces fuzzed texts are built from: few, so that the
// changes of the two sides often meet, and two without a newline, so that
// texts may end without one.
var fragments = []string{"a\n", "b\n", "c\n", "d\n", "a", "b"}

// text builds a text from fuzz input, one fragment for each of the first
// 16 bytes.
func text(b []byte) []byte {
	var t []byte
	for _, c := range b[:min(len(b), 16)] {
		t = append(t, fragments[int(c)%len(fragments)]...)
	}
	return t
}

// FuzzMerge checks the laws, the line endings and the agreement with git
// merge-file --diff3 on three texts built from a few short lines.
//
// Merge must give git's text and number of conflicts exactly, clean or not,
// on every input but one class: those where the hunks of diff for
// base→ours or base→theirs differ from those of git diff --no-index
// --diff-algorithm=myers --no-indent-heuristic, the diff git merge-file
// makes (see compareWithGit). There nothing is compared with git; the laws
// and the line endings are still checked. TestMergeAgainstGit counts how
// often each kind of difference comes up.
func FuzzMerge(f *testing.F) {
	needGit(f)
	f.Add([]byte{0, 1}, []byte{0, 2, 1}, []byte{0, 3, 1})
	f.Add([]byte{0, 1, 2, 3, 0}, []byte{3, 1, 2, 3, 0}, []byte{0, 1, 2, 3, 2})
	f.Add([]byte{0, 1, 2}, []byte{0, 2}, []byte{0, 3, 2})
	f.Add([]byte{0, 5}, []byte{0, 4}, []byte{0, 1})
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		b, o, th := text(base), text(ours), text(theirs)
		checkLaws(t, b, o)
		got := Merge(b, o, th, gitLabels)
		checkConflicts(t, got)
		checkLineEndings(t, b, o, th, got)
		compareWithGit(t, t.TempDir(), b, o, th, got)
	})
}

// compareWithGit checks that Merge gives what git merge-file --diff3 gives,
// byte for byte and conflict for conflict, and returns how they differ, if
// they do: "" when they agree.
//
// Both diff base with ours and with theirs and then merge alike, but the
// diffs come from different code: go-udiff's Myers diff and git's xdiff.
// Both find a shortest diff and slide changed lines alike (see compact), yet
// where several shortest diffs are not slides of one another (base
// "b\na\n", ours "a\nd\na\na\nc\nb\n": keep "b", or keep "a"?) each may
// choose another, and the merges then differ: a conflict on one side only,
// or in another place, or even one merge clean and the other not, either way.
// compareWithGit tells this case apart, by asking git diff for its diffs,
// and does not fail it; in every other case the two must agree.
func compareWithGit(t testing.TB, dir string, base, ours, theirs []byte, got Result) string {
	t.Helper()
	want, n := gitMerge(t, dir, base, ours, theirs)
	if bytes.Equal(got.Text, want) && len(got.Conflicts) == n {
		return ""
	}
	var how string
	switch {
	case n == 0 && len(got.Conflicts) == 0:
		how = "both clean, texts differ"
	case n == 0:
		how = "git clean, Merge conflicts"
	case len(got.Conflicts) == 0:
		how = "Merge clean, git conflicts"
	default:
		how = "both conflict, texts differ"
	}
	if !sameDiffs(t, dir, base, ours, theirs) {
		return how + " (diffs differ)"
	}
	t.Errorf("%s: base %q ours %q theirs %q:\nMerge, %d conflicts:\n%s\ngit merge-file, %d conflicts:\n%s",
		how, base, ours, theirs, len(got.Conflicts), got.Text, n, want)
	return how
}

// TestMergeAgainstGit compares Merge with git merge-file on random inputs
// and logs how often, and how, they differ where go-udiff and git's xdiff
// diff differently (see compareWithGit).
func TestMergeAgainstGit(t *testing.T) {
	needGit(t)
	n := 400
	if testing.Short() {
		n = 40
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(12, 3))
	random := func() []byte {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = byte(r.IntN(len(fragments)))
		}
		return text(b)
	}
	counts := map[string]int{}
	for range n {
		b, o, th := random(), random(), random()
		counts[compareWithGit(t, dir, b, o, th, Merge(b, o, th, gitLabels))]++
	}
	for _, how := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%d of %d: %s", counts[how], n, cmp.Or(how, "identical"))
	}
}

// checkConflicts checks that each line that Result.Conflicts names is a
// "<<<<<<<" marker line, and that there are no others.
func checkConflicts(t *testing.T, r Result) {
	t.Helper()
	var markers []int
	for i, line := range splitLines(string(r.Text)) {
		if strings.HasPrefix(line, "<<<<<<< ") {
			markers = append(markers, i+1)
		}
	}
	if !slices.Equal(markers, r.Conflicts) {
		t.Errorf("markers at lines %v, Conflicts %v, in\n%s", markers, r.Conflicts, r.Text)
	}
}

// checkLineEndings checks that Merge of LF texts, got, comes out the same,
// only in CRLF, when ours is CRLF, and that CRLF in base and theirs changes
// nothing, unless ours has no line ending to follow.
func checkLineEndings(t *testing.T, base, ours, theirs []byte, got Result) {
	t.Helper()
	lf, crlfText := got.Text, []byte(crlf(string(got.Text)))
	oursCRLF, theirsCRLF := lf, lf
	if bytes.Contains(ours, []byte("\n")) {
		oursCRLF = crlfText
	} else if bytes.Contains(theirs, []byte("\n")) {
		theirsCRLF = crlfText
	}
	for _, in := range [][4][]byte{
		{base, []byte(crlf(string(ours))), theirs, oursCRLF},
		{[]byte(crlf(string(base))), ours, []byte(crlf(string(theirs))), theirsCRLF},
	} {
		r := Merge(in[0], in[1], in[2], gitLabels)
		if !bytes.Equal(r.Text, in[3]) || !slices.Equal(r.Conflicts, got.Conflicts) {
			t.Errorf("Merge(%q, %q, %q) = %q (conflicts at %v), want %q (conflicts at %v)",
				in[0], in[1], in[2], r.Text, r.Conflicts, in[3], got.Conflicts)
		}
	}
}
