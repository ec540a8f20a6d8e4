package checks

import (
	"path"
	"strings"
)

// Python and JavaScript sources, which the rules read line by line.

// stringLiterals returns the string literals of a line of Python or
// JavaScript: "a", 'b', `c`, without their quotes.
func stringLiterals(line string) []string {
	var out []string
	for i := 0; i < len(line); i++ {
		q := line[i]
		if q != '"' && q != '\'' && q != '`' {
			continue
		}
		var b strings.Builder
		j := i + 1
		for ; j < len(line) && line[j] != q; j++ {
			if line[j] == '\\' && j+1 < len(line) {
				j++
			}
			b.WriteByte(line[j])
		}
		if j < len(line) {
			out = append(out, b.String())
		}
		i = j
	}
	return out
}

// isScriptSource reports whether a file is Python or JavaScript code of the app,
// not a test.
func isScriptSource(name string) bool {
	switch path.Ext(name) {
	case ".py", ".js", ".mjs", ".cjs", ".ts":
		return !isExample(name)
	}
	return false
}

// scriptLines calls fn with each line of Python and JavaScript code, but
// blank lines and comments, trimmed.
func (r *Repo) scriptLines(fn func(name string, line int, code string)) {
	for _, name := range r.filesOf(isScriptSource) {
		for i, l := range r.lines(name) {
			t := strings.TrimSpace(l)
			if t == "" || t[0] == '#' || t[0] == '*' || strings.HasPrefix(t, "//") {
				continue
			}
			fn(name, i+1, t)
		}
	}
}
