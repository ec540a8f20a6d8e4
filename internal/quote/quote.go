// Package quote makes what twelve prints of a user's repository (paths,
// names, file names) safe for a terminal: no control character reaches it,
// and a value that a shell would split or expand is quoted, so that what
// is printed can be read and copied into a shell as it is.
package quote

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Arg returns s as a shell word that means s: unchanged when it holds only
// letters, digits and _ - . / : @ % + = , (which no shell splits or
// expands), in single quotes when it holds spaces or shell
// metacharacters, and as a bash $'...' string, with every control or
// invisible formatting character written as an escape, when it holds one.
// No byte of what Arg returns is a control character.
func Arg(s string) string {
	if s == "" {
		return "''"
	}
	plain, printable := true, true
	for i, r := range s {
		if r == utf8.RuneError && isInvalid(s[i:]) || !visible(r) {
			printable, plain = false, false
		}
		if !bare(r) {
			plain = false
		}
	}
	switch {
	case plain:
		return s
	case printable:
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case visible(r):
			b.WriteRune(r)
		default:
			b.WriteString(escape(r))
		}
		i += n
	}
	b.WriteByte('\'')
	return b.String()
}

// Text returns s with every control or invisible formatting character
// written as an escape (\x1b, \r, \u202e), and bytes that are not UTF-8 as
// \xHH: for free text, such as an error message, that may hold a user's
// value. Everything else is left as it is.
func Text(s string) string {
	clean := true
	for i, r := range s {
		if r == utf8.RuneError && isInvalid(s[i:]) || !visible(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case visible(r):
			b.WriteRune(r)
		default:
			b.WriteString(escape(r))
		}
		i += n
	}
	return b.String()
}

// visible reports whether r prints as itself: a graphic character or a
// space, not a control (C0, DEL, C1) nor an invisible format character
// such as a bidirectional override.
func visible(r rune) bool {
	return r == ' ' || unicode.IsPrint(r)
}

// bare reports whether r needs no quoting in any shell.
func bare(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case strings.ContainsRune("_-./:@%+=,", r):
		return true
	}
	return r > unicode.MaxASCII && unicode.IsPrint(r) && !unicode.IsSpace(r)
}

// escape writes a character that does not print as bash and Go write it.
func escape(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\v':
		return `\v`
	case '\f':
		return `\f`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	if r <= 0xffff {
		return fmt.Sprintf(`\u%04x`, r)
	}
	return fmt.Sprintf(`\U%08x`, r)
}

// isInvalid reports whether s starts with a byte that is not UTF-8 (as
// opposed to an encoded U+FFFD).
func isInvalid(s string) bool {
	_, n := utf8.DecodeRuneInString(s)
	return n <= 1
}
