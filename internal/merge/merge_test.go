package merge

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// conflict writes a conflict as git merge-file --diff3 marks it, with the
// labels of gitLabels.
func conflict(ours, base, theirs string) string {
	return "<<<<<<< yours\n" + ours + "||||||| twelve OLD\n" + base + "=======\n" + theirs + ">>>>>>> twelve NEW\n"
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name               string
		base, ours, theirs string
		want               string
		conflicts          []int
	}{
		{
			name: "insertions at one point",
			base: "a\nb\n", ours: "a\nx\nb\n", theirs: "a\ny\nb\n",
			want:      "a\n" + conflict("x\n", "", "y\n") + "b\n",
			conflicts: []int{2},
		},
		{
			name: "edits in distant lines",
			base: "a\nb\nc\nd\ne\n", ours: "A\nb\nc\nd\ne\n", theirs: "a\nb\nc\nd\nE\n",
			want: "A\nb\nc\nd\nE\n",
		},
		{
			name: "deletion against edit",
			base: "a\nb\nc\n", ours: "a\nc\n", theirs: "a\nB\nc\n",
			want:      "a\n" + conflict("", "b\n", "B\n") + "c\n",
			conflicts: []int{2},
		},
		{
			name: "edits in adjacent lines",
			base: "a\nb\n", ours: "A\nb\n", theirs: "a\nB\n",
			want:      conflict("A\nb\n", "a\nb\n", "a\nB\n"),
			conflicts: []int{1},
		},
		{
			name: "same edit on both sides, with another",
			base: "a\nb\nc\n", ours: "A\nb\nX\n", theirs: "a\nb\nX\n",
			want: "A\nb\nX\n",
		},
		{
			name: "two conflicts",
			base: "a\nb\nc\nd\ne\n", ours: "A\nb\nc\nd\nE\n", theirs: "1\nb\nc\nd\n5\n",
			want:      conflict("A\n", "a\n", "1\n") + "b\nc\nd\n" + conflict("E\n", "e\n", "5\n"),
			conflicts: []int{1, 11},
		},
		{name: "all empty"},
		{
			name: "empty base and ours",
			base: "", ours: "", theirs: "x\n",
			want: "x\n",
		},
		{
			name: "empty base, two texts",
			base: "", ours: "x\n", theirs: "y",
			want:      conflict("x\n", "", "y\n"),
			conflicts: []int{1},
		},
		{
			name: "theirs empties the file",
			base: "a\n", ours: "a\n", theirs: "",
			want: "",
		},
		{
			name: "no trailing newline, clean",
			base: "a\nb\nc", ours: "A\nb\nc", theirs: "a\nb\nC",
			want: "A\nb\nC",
		},
		{
			name: "no trailing newline, conflict",
			base: "a\nb", ours: "a\nc", theirs: "a\nd",
			want:      "a\n" + conflict("c\n", "b\n", "d\n"),
			conflicts: []int{2},
		},
		{
			name: "ours adds the trailing newline",
			base: "a\nb\nc", ours: "a\nb\nc\n", theirs: "A\nb\nc",
			want: "A\nb\nc\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge([]byte(tt.base), []byte(tt.ours), []byte(tt.theirs), gitLabels)
			if string(got.Text) != tt.want || !slices.Equal(got.Conflicts, tt.conflicts) {
				t.Errorf("Merge(%q, %q, %q) =\n%s(conflicts at %v), want\n%s(conflicts at %v)",
					tt.base, tt.ours, tt.theirs, got.Text, got.Conflicts, tt.want, tt.conflicts)
			}
		})
	}
}

func TestMergeLineEndings(t *testing.T) {
	tests := []struct {
		name               string
		base, ours, theirs string
		want               string
		conflicts          []int
	}{
		{
			name: "ours CRLF, base and theirs LF",
			base: "a\nb\nc\nd\ne\n", ours: "A\r\nb\r\nc\r\nd\r\ne\r\n", theirs: "a\nb\nc\nd\nE\n",
			want: "A\r\nb\r\nc\r\nd\r\nE\r\n",
		},
		{
			name: "conflict written CRLF",
			base: "a\nb\n", ours: "A\r\nb\r\n", theirs: "1\nb\n",
			want:      crlf(conflict("A\n", "a\n", "1\n") + "b\n"),
			conflicts: []int{1},
		},
		{
			name: "ours mostly LF",
			base: "a\r\nb\r\nc\r\n", ours: "a\nb\r\nc\n", theirs: "a\r\nb\r\nC\r\n",
			want: "a\nb\nC\n",
		},
		{
			name: "no trailing newline",
			base: "a\nb", ours: "a\r\nb", theirs: "a\nB",
			want: "a\r\nB",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge([]byte(tt.base), []byte(tt.ours), []byte(tt.theirs), gitLabels)
			if string(got.Text) != tt.want || !slices.Equal(got.Conflicts, tt.conflicts) {
				t.Errorf("Merge(%q, %q, %q) = %q (conflicts at %v), want %q (conflicts at %v)",
					tt.base, tt.ours, tt.theirs, got.Text, got.Conflicts, tt.want, tt.conflicts)
			}
		})
	}
}

// crlf returns s with each LF line ending made CRLF.
func crlf(s string) string {
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// TestMergeLaws checks, for every text of up to three lines from a small
// alphabet, that a change made on one side only, or on both sides alike,
// comes through whole and without conflicts.
func TestMergeLaws(t *testing.T) {
	texts := []string{""}
	for range 3 {
		for _, s := range texts {
			for _, line := range []string{"a\n", "b\n", "c"} {
				if !strings.HasSuffix(s, "c") {
					texts = append(texts, s+line)
				}
			}
		}
		texts = slices.Compact(slices.Sorted(slices.Values(texts)))
	}
	for _, b := range texts {
		for _, x := range texts {
			checkLaws(t, []byte(b), []byte(x))
			checkLaws(t, []byte(crlf(b)), []byte(crlf(x)))
		}
	}
}

// checkLaws checks Merge(b, b, x) = Merge(b, x, b) = Merge(b, x, x) = x,
// without conflicts, for texts whose line endings are all LF or all CRLF.
func checkLaws(t *testing.T, b, x []byte) {
	t.Helper()
	for _, in := range [][3][]byte{{b, b, x}, {b, x, b}, {b, x, x}} {
		got := Merge(in[0], in[1], in[2], gitLabels)
		if !bytes.Equal(got.Text, x) || len(got.Conflicts) > 0 {
			t.Errorf("Merge(%q, %q, %q) = %q (conflicts at %v), want %q", in[0], in[1], in[2], got.Text, got.Conflicts, x)
		}
	}
}
