package checks

import (
	"bytes"
	"path"
	"strings"
)

// Which files are the app's: not those of its examples and tests, but for
// the files of those folders that the app itself loads, such as a default
// config under test/ that a flag names.

// exampleRefs returns the quoted paths in data that lead into a folder of
// examples or tests: "test/config/app.json", 'tests/certs/key.pem'.
func exampleRefs(data []byte) []string {
	if !bytes.Contains(data, []byte("test")) && !bytes.Contains(data, []byte("example")) &&
		!bytes.Contains(data, []byte("demo")) && !bytes.Contains(data, []byte("sample")) {
		return nil // most files: nothing to look for
	}
	var out []string
	for i := 0; i < len(data); i++ {
		q := data[i]
		if q != '"' && q != '\'' && q != '`' {
			continue
		}
		j := i + 1
		for j < len(data) && j-i < 256 && data[j] != q && data[j] != '\n' && data[j] != ' ' {
			j++
		}
		if j == len(data) || data[j] != q {
			continue
		}
		s := data[i+1 : j]
		if bytes.IndexByte(s, '/') >= 0 && bytes.IndexByte(s, '.') >= 0 {
			if p := path.Clean(string(s)); path.Ext(p) != "" && isExamplePath(p) {
				out = append(out, p)
			}
		}
		i = j
	}
	return out
}

// loadedByApp reports whether a file in a folder of examples or tests is
// named by the app's code or config, or by a file that those name in turn:
// pebble's -config flag defaults to test/config/pebble-config.json, which
// names test/certs/localhost/key.pem.
func (r *Repo) loadedByApp(name string) bool {
	r.loadedOnce.Do(func() {
		r.loaded = map[string]bool{}
		var examples, queue []string
		for _, n := range r.Files {
			if isExamplePath(n) {
				examples = append(examples, n)
			} else {
				queue = append(queue, r.files[n].refs...)
			}
		}
		for len(queue) > 0 {
			ref := queue[0]
			queue = queue[1:]
			for _, n := range examples {
				if !r.loaded[n] && (n == ref || strings.HasSuffix(n, "/"+ref) || strings.HasSuffix(ref, "/"+n)) {
					r.loaded[n] = true
					queue = append(queue, r.files[n].refs...)
				}
			}
		}
	})
	return r.loaded[name]
}

// ofApp reports whether a file is part of the app: not in a folder of
// examples or tests, or loaded from one by the app.
func (r *Repo) ofApp(name string) bool {
	return !isExamplePath(name) || r.loadedByApp(name)
}
