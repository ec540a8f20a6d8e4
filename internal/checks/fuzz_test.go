package checks

import (
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzCheck audits a repository whose Dockerfile, Procfile, .env, shell
// script, Python and Go files are random: the parsers of a user's files
// never panic, and every finding points at a file of the repository and a
// line it has.
func FuzzCheck(f *testing.F) {
	f.Add("FROM golang:1.25 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /x /x\nENTRYPOINT /x\n",
		"web: ./run-app.sh\nworker: bin/w\n",
		"PORT=8000\nSECRET_KEY=changeme\n",
		"#!/bin/sh\nexec ./svc \"$@\"\n",
		"import os\nSECRET_KEY = os.environ.get('SECRET_KEY') or 'dev'\n",
		"package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n")
	f.Add("FROM \\\n", ":\n\n", "=\n", "", "", "package")
	f.Fuzz(func(t *testing.T, dockerfile, procfile, env, script, python, gosrc string) {
		fsys := fstest.MapFS{
			"Dockerfile":    {Data: []byte(dockerfile)},
			"Procfile":      {Data: []byte(procfile)},
			".env":          {Data: []byte(env)},
			"run-app.sh":    {Data: []byte(script)},
			"app/main.py":   {Data: []byte(python)},
			"cmd/x/main.go": {Data: []byte(gosrc)},
			"go.mod":        {Data: []byte("module x\n\ngo 1.25\n")},
		}
		rep, err := Check(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range rep.Findings() {
			if fd.File == "" {
				continue
			}
			file, ok := fsys[fd.File]
			if !ok {
				t.Errorf("%s names a file the repository does not have", fd)
				continue
			}
			if lines := strings.Count(string(file.Data), "\n") + 1; fd.Line > lines {
				t.Errorf("%s: line %d of a file of %d lines", fd, fd.Line, lines)
			}
		}
	})
}
