package checks

import (
	"slices"
	"strings"
)

// systemd units: their entries, read as the rules need them.

// unitEntry is one Key=Value line of a systemd unit.
type unitEntry struct {
	Line       int
	Section    string // "Service"
	Key, Value string
}

// isUnit reports whether a file is a systemd service unit.
func isUnit(base string) bool { return strings.HasSuffix(base, ".service") }

// unitEntries parses a systemd unit: sections, keys and values, with
// continuation lines joined.
func unitEntries(lines []string) []unitEntry {
	var out []unitEntry
	section := ""
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		start := i + 1
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
		}
		switch {
		case l == "" || l[0] == '#' || l[0] == ';':
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
		default:
			if k, v, ok := strings.Cut(l, "="); ok {
				out = append(out, unitEntry{Line: start, Section: section, Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
			}
		}
	}
	return out
}

func (r *Repo) units() []string {
	var out []string
	for _, name := range r.filesWhere(isUnit) {
		if slices.Contains(r.lines(name), "[Service]") {
			out = append(out, name)
		}
	}
	return out
}
