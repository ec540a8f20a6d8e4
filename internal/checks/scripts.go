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
		return !isExample(name) && !strings.HasSuffix(name, ".d.ts") // a .d.ts declares types and runs nothing
	}
	return false
}

// scriptLines calls fn with each line of Python and JavaScript code, but
// blank lines and comments, trimmed. What a docstring or help text says
// counts: "the default is SQLite; use MySQL in production".
func (r *Repo) scriptLines(fn func(name string, line int, code string)) {
	r.scriptLinesText(false, fn)
}

// scriptCode is scriptLines without the text of Python's triple-quoted
// strings (docstrings, help and usage text), whose URLs and values are
// examples for the reader, not what the code uses.
func (r *Repo) scriptCode(fn func(name string, line int, code string)) {
	r.scriptLinesText(true, fn)
}

func (r *Repo) scriptLinesText(skipText bool, fn func(name string, line int, code string)) {
	for _, name := range r.filesOf(isScriptSource) {
		lines := r.lines(name)
		var text []bool
		if skipText && strings.HasSuffix(name, ".py") {
			text = pyTextLines(lines)
		}
		py := strings.HasSuffix(name, ".py")
		inComment := false // in a JavaScript /* */ comment, whose lines may show code: a doc's example
		for i, l := range lines {
			t := strings.TrimSpace(l)
			if inComment {
				inComment = !strings.Contains(t, "*/")
				continue
			}
			if !py && strings.HasPrefix(t, "/*") {
				end := strings.Index(t[2:], "*/")
				if end < 0 {
					inComment = true
					continue
				}
				t = strings.TrimSpace(t[2+end+2:]) // /* a note */ code()
			}
			if t == "" || t[0] == '#' || t[0] == '*' || strings.HasPrefix(t, "//") || text != nil && text[i] {
				continue
			}
			fn(name, i+1, t)
		}
	}
}

// pyTextLines reports, for each line of a Python file, whether it is text
// of a triple-quoted string rather than code: a docstring's or a help
// text's lines after the one that opens it, to the one that closes it.
func pyTextLines(lines []string) []bool {
	out := make([]bool, len(lines))
	delim := "" // the delimiter of the string that is open, if any
	for i, l := range lines {
		if delim != "" {
			out[i] = true
		}
		for l != "" {
			if delim != "" {
				j := strings.Index(l, delim)
				if j < 0 {
					break
				}
				l, delim = l[j+3:], ""
				continue
			}
			j, k := strings.Index(l, `"""`), strings.Index(l, "'''")
			if j < 0 || k >= 0 && k < j {
				j = k
			}
			if j < 0 || strings.Contains(l[:j], "#") {
				break
			}
			delim, l = l[j:j+3], l[j+3:]
		}
	}
	return out
}
