package render

import (
	"bytes"
	"fmt"
	"iter"
	"regexp"
)

// Ownership says which parts of a generated file twelve may rewrite when a
// component is added (see templates/README.md).
type Ownership int

const (
	// UserOwned files are written once and then belong to the user.
	UserOwned Ownership = iota
	// WholeOwned files carry the generated marker: twelve rewrites them.
	WholeOwned
	// RegionOwned files are the user's except for their twelve:begin/end
	// regions, which twelve rewrites.
	RegionOwned
)

func (o Ownership) String() string {
	switch o {
	case WholeOwned:
		return "owned by twelve"
	case RegionOwned:
		return "owned by twelve in regions"
	}
	return "yours"
}

// isMarker reports whether line is the generated marker, in Go's or a
// hash-comment syntax.
func isMarker(line []byte) bool {
	line = bytes.TrimSuffix(line, []byte("\r"))
	return string(line) == GeneratedMarker || string(line) == GeneratedMarkerHash
}

// OwnershipOf tells who owns a file from its content: the generated marker on
// its first line, or on its second after a #! line, makes it twelve's; a
// twelve:begin region makes its regions twelve's.
func OwnershipOf(data []byte) Ownership {
	lines := bytes.SplitN(data, []byte("\n"), 3)
	if len(lines) > 0 && isMarker(lines[0]) {
		return WholeOwned
	}
	if len(lines) > 1 && bytes.HasPrefix(lines[0], []byte("#!")) && isMarker(lines[1]) {
		return WholeOwned
	}
	for range regionMarkers(data) {
		return RegionOwned
	}
	return UserOwned
}

// Region is one twelve:begin NAME ... twelve:end NAME block of a file. Start
// and End are byte offsets: data[Start:End] is the block with both marker
// lines and the end marker's newline.
type Region struct {
	Name       string
	Start, End int
}

// regionLineRE matches a line that marks a region. Where a line holds two
// markers, the last one counts.
var regionLineRE = regexp.MustCompile(`^.*\btwelve:(begin|end) ([a-z][a-z0-9-]*)\b`)

// regionLiteral is in every line that regionLineRE matches.
var regionLiteral = []byte("twelve:")

// marker is a line that marks a region: data[start:end] is the line
// without its newline.
type marker struct {
	start, end int
	begin      bool
	name       string
}

// regionMarkers yields the lines of data that mark regions, in order. Only
// lines that hold the literal are matched against the regexp: most files
// hold none, and a regexp over a whole file is slow.
func regionMarkers(data []byte) iter.Seq[marker] {
	return func(yield func(marker) bool) {
		for at := 0; at < len(data); {
			i := bytes.Index(data[at:], regionLiteral)
			if i < 0 {
				return
			}
			start := at + bytes.LastIndexByte(data[at:at+i], '\n') + 1
			end := len(data)
			if j := bytes.IndexByte(data[at+i:], '\n'); j >= 0 {
				end = at + i + j
			}
			if m := regionLineRE.FindSubmatchIndex(data[start:end]); m != nil {
				kind := data[start+m[2] : start+m[3]]
				if !yield(marker{start: start, end: end, begin: string(kind) == "begin", name: string(data[start+m[4] : start+m[5]])}) {
					return
				}
			}
			at = end + 1
		}
	}
}

// Regions returns the regions of data in order. Regions must not nest and
// each name may appear once.
func Regions(data []byte) ([]Region, error) {
	var out []Region
	open := -1
	openName := ""
	lineOf := func(m marker) int { return bytes.Count(data[:m.start], []byte("\n")) + 1 }
	for m := range regionMarkers(data) {
		switch {
		case m.begin && open >= 0:
			return nil, fmt.Errorf("line %d: twelve:begin %s inside region %s", lineOf(m), m.name, openName)
		case m.begin:
			for _, r := range out {
				if r.Name == m.name {
					return nil, fmt.Errorf("line %d: region %s appears twice", lineOf(m), m.name)
				}
			}
			open, openName = m.start, m.name
		case open < 0 || m.name != openName:
			return nil, fmt.Errorf("line %d: twelve:end %s without its twelve:begin", lineOf(m), m.name)
		default:
			end := m.end
			if end < len(data) {
				end++ // the newline
			}
			out = append(out, Region{Name: m.name, Start: open, End: end})
			open = -1
		}
	}
	if open >= 0 {
		return nil, fmt.Errorf("region %s has no twelve:end", openName)
	}
	return out, nil
}

// findRegion returns the region named name, and whether there is one.
func findRegion(regions []Region, name string) (Region, bool) {
	for _, r := range regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// SpliceRegions returns mine with each of its regions replaced by the region
// of the same name in fresh. Every region of fresh must be in mine.
func SpliceRegions(mine, fresh []byte) ([]byte, error) {
	theirs, err := Regions(fresh)
	if err != nil {
		return nil, fmt.Errorf("rendered file: %w", err)
	}
	ours, err := Regions(mine)
	if err != nil {
		return nil, err
	}
	for _, r := range theirs {
		if _, ok := findRegion(ours, r.Name); !ok {
			return nil, fmt.Errorf("region %s is missing (its twelve:begin/end lines were removed)", r.Name)
		}
	}
	var out bytes.Buffer
	at := 0
	for _, r := range ours {
		out.Write(mine[at:r.Start])
		if t, ok := findRegion(theirs, r.Name); ok {
			out.Write(fresh[t.Start:t.End])
		} else {
			out.Write(mine[r.Start:r.End]) // a region the templates no longer have
		}
		at = r.End
	}
	out.Write(mine[at:])
	return out.Bytes(), nil
}
