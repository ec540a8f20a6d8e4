package checks

import "testing"

// TestLazyRegexpsCompile compiles every expression of the checks, which
// otherwise compile only when a check first uses them.
func TestLazyRegexpsCompile(t *testing.T) {
	if len(lazies) < 19 {
		t.Errorf("%d lazy regexps, want every one of the checks' 19", len(lazies))
	}
	for _, l := range lazies {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Error(r)
				}
			}()
			l.re()
		}()
	}
}
