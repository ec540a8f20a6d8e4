package merge

// A line diff is often free to place a run of changed lines higher or
// lower: inserting "a" before "a" or after it gives the same text. Where the
// run sits decides whether it touches a change from the other side, so the
// merge slides runs where git's xdiff slides them (xdl_change_compact,
// without the indent heuristic, which git merge-file does not use).

// file is one side of a line diff: its lines, and which of them changed.
type file struct {
	lines   []string
	changed []bool
}

// newFile returns text as a file with no line changed.
func newFile(text string) *file {
	lines := splitLines(text)
	return &file{lines, make([]bool, len(lines))}
}

// isChanged reports whether line i of f is there and changed.
func (f *file) isChanged(i int) bool {
	return i >= 0 && i < len(f.lines) && f.changed[i]
}

// group is a run of changed lines, lines[start:end], possibly empty. The
// runs of two diffed files pair up in order, between their unchanged lines.
type group struct{ start, end int }

// first returns the first group of f.
func (f *file) first() group {
	g := group{}
	for f.isChanged(g.end) {
		g.end++
	}
	return g
}

// next moves g to the following group, or reports false at the last.
func (f *file) next(g *group) bool {
	if g.end == len(f.lines) {
		return false
	}
	g.start = g.end + 1
	for g.end = g.start; f.isChanged(g.end); g.end++ {
	}
	return true
}

// previous moves g to the group before it, or reports false at the first.
func (f *file) previous(g *group) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	for g.start = g.end; f.isChanged(g.start - 1); g.start-- {
	}
	return true
}

// slideDown moves the changed run g one line down, where the line after it
// equals its first line, taking in any run it then touches.
func (f *file) slideDown(g *group) bool {
	if g.end == len(f.lines) || f.lines[g.start] != f.lines[g.end] {
		return false
	}
	f.changed[g.start], f.changed[g.end] = false, true
	g.start++
	for g.end++; f.isChanged(g.end); g.end++ {
	}
	return true
}

// slideUp moves the changed run g one line up, where the line before it
// equals its last line, taking in any run it then touches.
func (f *file) slideUp(g *group) bool {
	if g.start == 0 || f.lines[g.start-1] != f.lines[g.end-1] {
		return false
	}
	f.changed[g.start-1], f.changed[g.end-1] = true, false
	g.end--
	for g.start--; f.isChanged(g.start - 1); g.start-- {
	}
	return true
}

// compact slides each changed run of f down as far as it goes, then back up
// to end level with the last changed run of other that it passed, if any.
func compact(f, other *file) {
	g, o := f.first(), other.first()
	for {
		if g.end > g.start {
			var size int
			var matched bool // whether g passed a changed run of other
			// Slide until g stops growing: sliding may take in other runs.
			for size != g.end-g.start {
				size = g.end - g.start
				for f.slideUp(&g) {
					other.previous(&o)
				}
				matched = o.end > o.start
				for f.slideDown(&g) {
					other.next(&o)
					matched = matched || o.end > o.start
				}
			}
			for matched && o.end == o.start && f.slideUp(&g) {
				other.previous(&o)
			}
		}
		if !f.next(&g) {
			return
		}
		other.next(&o)
	}
}
