package checks

import (
	"fmt"
	"slices"
	"testing"
)

func TestParseDockerfile(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "line KEYWORD args"
	}{
		{"case and spaces", "from  alpine:3.20\n\tRun\techo hi  \n",
			[]string{"1 FROM alpine:3.20", "2 RUN echo hi"}},
		{"comments and blank lines", "# a comment\n\nFROM a:1\n  # indented comment\nCMD x # not a comment\n",
			[]string{"3 FROM a:1", "5 CMD x # not a comment"}},
		{"continuations", "FROM a:1\nRUN a \\\n  # a comment inside\n\n  b \\  \n  c\nCMD [\"x\", \\\n\"y\"]\n",
			[]string{"1 FROM a:1", "2 RUN a b c", `7 CMD ["x", "y"]`}},
		{"continuation on the last line", "FROM a:1\nCMD x \\",
			[]string{"1 FROM a:1", "2 CMD x"}},
		{"heredocs", "FROM a:1\nRUN <<EOF\nFROM nope\nEOF\nCOPY <<-A <<B /x\n\tCMD nope\n\tA\nCMD nope\nB\nCMD yes\n",
			[]string{"1 FROM a:1", "2 RUN <<EOF", "5 COPY <<-A <<B /x", "10 CMD yes"}},
		{"HEALTHCHECK CMD is not CMD", "FROM a:1\nHEALTHCHECK CMD x\n",
			[]string{"1 FROM a:1", "2 HEALTHCHECK CMD x"}},
		{"CRLF", "FROM a:1\r\nRUN a \\\r\n b\r\n",
			[]string{"1 FROM a:1", "2 RUN a b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, in := range parseDockerfile(splitLines(tt.in)) {
				got = append(got, fmt.Sprintf("%d %s %s", in.Line, in.Cmd, in.Args))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestStages(t *testing.T) {
	st := stages(parseDockerfile(splitLines(`ARG V=1
FROM --platform=$BUILDPLATFORM golang:1.25 AS Build
USER app
CMD ["build"]
FROM build as test
FROM gcr.io/distroless/static:nonroot
FROM test
ENTRYPOINT ["x"]
`)))
	var got []string
	for _, s := range st {
		got = append(got, fmt.Sprintf("%d %s %q %d", s.From.Line, s.Image, s.Name, len(s.Body)))
	}
	want := []string{`2 golang:1.25 "build" 2`, `5 build "test" 0`, `6 gcr.io/distroless/static:nonroot "" 0`, `7 test "" 1`}
	if !slices.Equal(got, want) {
		t.Errorf("stages:\n%q\nwant\n%q", got, want)
	}
	if p := parent(st, 3); p != 1 {
		t.Errorf("parent of the last stage = %d, want 1", p)
	}
	if u, ok := last(st, 3, "USER"); !ok || u.Line != 3 {
		t.Errorf("inherited USER = %v, %v; want line 3", u, ok)
	}
	if c, ok := last(st, 2, "CMD"); ok {
		t.Errorf("stage 2 inherits CMD %v from no stage", c)
	}
	if img := baseImage(st, 3); img != "golang:1.25" {
		t.Errorf("baseImage = %q", img)
	}
}

func TestIsExecForm(t *testing.T) {
	for args, want := range map[string]bool{
		`["/app/server"]`:          true,
		`[ "/app/server", "-v" ]`:  true,
		`[]`:                       true,
		`/app/server`:              false,
		`['/app/server']`:          false,
		`["/app/server" "-v"]`:     false,
		`null`:                     false,
		`["a", 1]`:                 false,
		`exec /app/server "$PORT"`: false,
		`/app/server ["not json"]`: false,
	} {
		if got := isExecForm(args); got != want {
			t.Errorf("isExecForm(%s) = %v, want %v", args, got, want)
		}
	}
}
