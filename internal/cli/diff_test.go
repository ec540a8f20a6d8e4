package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/project"
)

// The hunk headers of --dry-run's diffs count lines as git diff does: a
// hunk starts in the new file where the lines the hunks before it added
// and removed put it.
func TestDiffHunkHeaders(t *testing.T) {
	var old, new strings.Builder
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&old, "line %d\n", i)
		switch {
		case i == 3, i == 7: // two changes near enough to share a hunk
			new.WriteString("added a\nadded b\nadded c\n")
		case i == 30:
			continue // removed
		}
		fmt.Fprintf(&new, "line %d\n", i)
		if i == 50 {
			new.WriteString("added d\n")
		}
	}
	d := diff(project.Change{Path: "f", Old: []byte(old.String()), New: []byte(new.String())})
	headers := regexp.MustCompile(`(?m)^@@ -(\d+),(\d+) \+(\d+),(\d+) @@`).FindAllStringSubmatch(d, -1)
	if len(headers) != 3 {
		t.Fatalf("%d hunks, want 3:\n%s", len(headers), d)
	}
	offset := 0
	for _, h := range headers {
		a, _ := strconv.Atoi(h[1])
		b, _ := strconv.Atoi(h[2])
		c, _ := strconv.Atoi(h[3])
		dd, _ := strconv.Atoi(h[4])
		if c != a+offset {
			t.Errorf("hunk %s: new start %d, want %d", h[0], c, a+offset)
		}
		offset += dd - b
	}
}
