// Package merge merges two changes to one text, line by line, as diff3 and
// git merge-file do.
package merge

import (
	"bytes"
	"math"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Labels name the three versions in the conflict markers, e.g. "yours",
// "twelve OLD" and "twelve NEW". As with git, an empty label leaves a
// space at the end of its marker line.
type Labels struct {
	Ours, Base, Theirs string
}

// Result of a merge.
type Result struct {
	Text      []byte // merged text; conflicts as diff3 markers
	Conflicts []int  // 1-based line number in Text of each "<<<<<<<" marker line
}

// Merge applies the change base→theirs to ours.
//
// Where both changes touch the same or adjacent lines of base, and are not
// the same change, Text holds a conflict marked as git merge-file --diff3
// marks it: ours, base and theirs between "<<<<<<<", "|||||||", "=======" and
// ">>>>>>>" lines that carry the labels.
//
// The result is git merge-file --diff3's, byte for byte, wherever the line
// diffs of go-udiff, on which Merge stands, and of git's xdiff agree. Both
// look for a shortest diff, and Merge slides changed lines where git does;
// but where texts repeat lines, two shortest diffs may keep different lines,
// and the merges then differ, as FuzzMerge describes.
//
// Lines are compared without regard to CRLF or LF endings, and Text is
// written with the endings of ours: CRLF throughout, markers included, if
// most of the lines of ours end in CRLF, otherwise LF. If ours has no line
// ending, Text takes those of theirs.
func Merge(base, ours, theirs []byte, l Labels) Result {
	b, o, t := toLF(base), toLF(ours), toLF(theirs)
	var m merger
	m.merge(splitLines(b), diff(b, o), diff(b, t), l)
	text := []byte(strings.Join(m.out, ""))
	if mostlyCRLF(ours) || !bytes.Contains(ours, []byte("\n")) && mostlyCRLF(theirs) {
		text = bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
	}
	return Result{Text: text, Conflicts: m.conflicts}
}

// A hunk replaces the lines base[start:end] with lines.
type hunk struct {
	start, end int
	lines      []string
}

// diff returns the change from before to after as hunks over the lines of
// before, in order, no two of them touching.
func diff(before, after string) []hunk {
	b, a := newFile(before), newFile(after)
	shift := 0 // how many lines after has more than before, so far
	for _, e := range udiff.Lines(before, after) {
		// Lines gives byte offsets into before, at line boundaries.
		start, end, n := lineCount(before[:e.Start]), lineCount(before[:e.End]), lineCount(e.New)
		for i := start; i < end; i++ {
			b.changed[i] = true
		}
		for i := start + shift; i < start+shift+n; i++ {
			a.changed[i] = true
		}
		shift += n - (end - start)
	}
	compact(b, a) // slide changed runs to where git's xdiff puts them
	compact(a, b)

	var hs []hunk
	g, o := b.first(), a.first()
	for {
		if g.end > g.start || o.end > o.start {
			hs = append(hs, hunk{g.start, g.end, a.lines[o.start:o.end]})
		}
		if !b.next(&g) {
			return hs
		}
		a.next(&o)
	}
}

// merger collects the merged lines and the line numbers of the conflicts.
type merger struct {
	out       []string
	conflicts []int
}

// merge walks base with the hunks of both sides. Hunks that overlap or touch
// form one chunk; a chunk changed on one side takes that side, a chunk that
// holds the same hunk on both sides takes it once, and any other is a
// conflict. As in git, a chunk whose sides come out equal from different
// hunks is still a conflict.
func (m *merger) merge(base []string, ours, theirs []hunk, l Labels) {
	pos := 0 // the first line of base not yet written or replaced
	for len(ours) > 0 || len(theirs) > 0 {
		start := min(first(ours), first(theirs))
		end := start
		var o, t []hunk
		for first(ours) <= end || first(theirs) <= end {
			if first(ours) <= end {
				o, ours = append(o, ours[0]), ours[1:]
				end = max(end, o[len(o)-1].end)
			} else {
				t, theirs = append(t, theirs[0]), theirs[1:]
				end = max(end, t[len(t)-1].end)
			}
		}
		m.out = append(m.out, base[pos:start]...)
		pos = end
		switch {
		case len(t) == 0:
			m.out = append(m.out, apply(base, start, end, o)...)
		case len(o) == 0, len(o) == 1 && len(t) == 1 && same(o[0], t[0]):
			m.out = append(m.out, apply(base, start, end, t)...)
		default:
			m.conflicts = append(m.conflicts, len(m.out)+1)
			m.marker("<<<<<<< "+l.Ours, apply(base, start, end, o))
			m.marker("||||||| "+l.Base, base[start:end])
			m.marker("=======", apply(base, start, end, t))
			m.marker(">>>>>>> "+l.Theirs, nil)
		}
	}
	m.out = append(m.out, base[pos:]...)
}

// marker writes a marker line, then lines. As git does, it ends the last of
// lines with a newline if it has none, so that each marker has its own line.
func (m *merger) marker(marker string, lines []string) {
	m.out = append(m.out, marker+"\n")
	m.out = append(m.out, lines...)
	if n := len(m.out); !strings.HasSuffix(m.out[n-1], "\n") {
		m.out[n-1] += "\n"
	}
}

// apply returns base[start:end] with the hunks, which lie within it, applied.
func apply(base []string, start, end int, hs []hunk) []string {
	var out []string
	for _, h := range hs {
		out = append(out, base[start:h.start]...)
		out = append(out, h.lines...)
		start = h.end
	}
	return append(out, base[start:end]...)
}

// first returns the line of base where the first of hs starts, or, with
// no hunks, a line past any.
func first(hs []hunk) int {
	if len(hs) == 0 {
		return math.MaxInt
	}
	return hs[0].start
}

// same reports whether two hunks make the same change.
func same(a, b hunk) bool {
	return a.start == b.start && a.end == b.end && slices.Equal(a.lines, b.lines)
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineCount returns the number of lines in s; the last may lack a newline.
func lineCount(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// toLF returns b with each CRLF line ending made LF.
func toLF(b []byte) string {
	return string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
}

// mostlyCRLF reports whether more than half of the line endings in b are CRLF.
func mostlyCRLF(b []byte) bool {
	return 2*bytes.Count(b, []byte("\r\n")) > bytes.Count(b, []byte("\n"))
}
