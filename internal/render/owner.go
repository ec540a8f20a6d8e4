package render

import "bytes"

// Generated reports whether a file is one that twelve generates whole: the
// generated marker, in Go's or a hash-comment syntax, is its first line,
// or its second after a #! line. Such a file says where the user's changes
// go instead (see templates/README.md); twelve still merges edits to it.
func Generated(data []byte) bool {
	lines := bytes.SplitN(data, []byte("\n"), 3)
	if len(lines) > 0 && isMarker(lines[0]) {
		return true
	}
	return len(lines) > 1 && bytes.HasPrefix(lines[0], []byte("#!")) && isMarker(lines[1])
}

// isMarker reports whether line is the generated marker.
func isMarker(line []byte) bool {
	line = bytes.TrimSuffix(line, []byte("\r"))
	return string(line) == GeneratedMarker || string(line) == GeneratedMarkerHash
}
