package render

import (
	"bytes"
	"fmt"
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
	// The regexp alone would scan every file slowly (go.sum too): most hold
	// no region, which the literal tells at once.
	if bytes.Contains(data, regionLiteral) && regionRE.Match(data) {
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

var regionRE = regexp.MustCompile(`(?m)^.*\btwelve:(begin|end) ([a-z][a-z0-9-]*)\b.*$`)

// regionLiteral is in every match of regionRE.
var regionLiteral = []byte("twelve:")

// Regions returns the regions of data in order. Regions must not nest and
// each name may appear once.
func Regions(data []byte) ([]Region, error) {
	var out []Region
	if !bytes.Contains(data, regionLiteral) {
		return nil, nil
	}
	open := -1
	openName := ""
	for _, m := range regionRE.FindAllSubmatchIndex(data, -1) {
		kind, name := string(data[m[2]:m[3]]), string(data[m[4]:m[5]])
		line := bytes.Count(data[:m[0]], []byte("\n")) + 1
		switch {
		case kind == "begin" && open >= 0:
			return nil, fmt.Errorf("line %d: twelve:begin %s inside region %s", line, name, openName)
		case kind == "begin":
			for _, r := range out {
				if r.Name == name {
					return nil, fmt.Errorf("line %d: region %s appears twice", line, name)
				}
			}
			open, openName = m[0], name
		case open < 0 || name != openName:
			return nil, fmt.Errorf("line %d: twelve:end %s without its twelve:begin", line, name)
		default:
			end := m[1]
			if end < len(data) {
				end++ // the newline
			}
			out = append(out, Region{Name: name, Start: open, End: end})
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
