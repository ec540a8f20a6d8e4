package checks

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regexp compiled when a check first uses it. Every twelve
// command links the checks, and compiling their expressions at start would
// cost every command, twelve new too, more than half a millisecond.
type lazyRegexp struct{ re func() *regexp.Regexp }

// lazy returns expr as a lazyRegexp; it panics on first use if expr is
// invalid, which TestLazyRegexpsCompile makes sure no expression is.
func lazy(expr string) *lazyRegexp {
	l := &lazyRegexp{re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
	lazies = append(lazies, l)
	return l
}

// lazies are every lazyRegexp, for the test that compiles them.
var lazies []*lazyRegexp

func (l *lazyRegexp) Match(b []byte) bool                  { return l.re().Match(b) }
func (l *lazyRegexp) MatchString(s string) bool            { return l.re().MatchString(s) }
func (l *lazyRegexp) FindString(s string) string           { return l.re().FindString(s) }
func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.re().FindStringSubmatch(s) }
func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.re().FindAllStringSubmatch(s, n)
}
func (l *lazyRegexp) FindAllIndex(b []byte, n int) [][]int { return l.re().FindAllIndex(b, n) }
func (l *lazyRegexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return l.re().FindAllSubmatchIndex(b, n)
}
