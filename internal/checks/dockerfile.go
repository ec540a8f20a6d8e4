package checks

import (
	"encoding/json"
	"strings"
)

// instruction is one Dockerfile instruction.
type instruction struct {
	Line int    // 1-based line of its keyword
	Cmd  string // the keyword in upper case: "FROM", "CMD"
	Args string // the rest, its continuation lines joined
}

// stage is one build stage: a FROM and the instructions up to the next one.
type stage struct {
	From  instruction
	Image string // "golang:1.25" in "FROM golang:1.25 AS build"
	Name  string // "build", in lower case; "" when the stage has no name
	Body  []instruction
}

// parseDockerfile returns the instructions of a Dockerfile. It drops
// comments and blank lines, also inside continuations, and skips the bodies
// of heredocs (RUN <<EOF). It takes the escape character to be \: the
// escape directive, for Windows images, is not supported.
func parseDockerfile(lines []string) []instruction {
	var (
		out   []instruction
		text  strings.Builder
		start int // line of the instruction in text; 0 when there is none
	)
	flush := func() {
		if start == 0 {
			return
		}
		s := text.String()
		cmd := firstWord(s)
		out = append(out, instruction{Line: start, Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(s[len(cmd):])})
		text.Reset()
		start = 0
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || line[0] == '#' {
			continue
		}
		if start == 0 {
			start = i + 1
		}
		if rest, ok := strings.CutSuffix(line, `\`); ok {
			text.WriteString(rest)
			continue
		}
		text.WriteString(line)
		flush()
		i = skipHeredocs(lines, i, splitCommands(out[len(out)-1].Args))
	}
	flush() // a continuation on the last line
	return out
}

// firstWord returns s up to its first space or tab.
func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// stages groups instructions into build stages. Instructions before the
// first FROM (global ARGs) belong to no stage.
func stages(ins []instruction) []stage {
	var out []stage
	for _, in := range ins {
		if in.Cmd != "FROM" {
			if len(out) > 0 {
				out[len(out)-1].Body = append(out[len(out)-1].Body, in)
			}
			continue
		}
		s := stage{From: in}
		var words []string
		for _, w := range strings.Fields(in.Args) {
			if !strings.HasPrefix(w, "--") { // --platform=...
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			s.Image = words[0]
		}
		if len(words) > 2 && strings.EqualFold(words[1], "AS") {
			s.Name = strings.ToLower(words[2])
		}
		out = append(out, s)
	}
	return out
}

// parent returns the index of the earlier stage that stage i builds on
// (FROM build), or -1 when it starts from an image.
func parent(st []stage, i int) int {
	for j := i - 1; j >= 0; j-- {
		if st[j].Name != "" && strings.EqualFold(st[j].Name, st[i].Image) {
			return j
		}
	}
	return -1
}

// last returns the last instruction cmd that stage i has, or inherits from
// the earlier stages it builds on.
func last(st []stage, i int, cmd string) (instruction, bool) {
	for ; i >= 0; i = parent(st, i) {
		for j := len(st[i].Body) - 1; j >= 0; j-- {
			if st[i].Body[j].Cmd == cmd {
				return st[i].Body[j], true
			}
		}
	}
	return instruction{}, false
}

// baseImage returns the image that stage i starts from, through the earlier
// stages it builds on.
func baseImage(st []stage, i int) string {
	for p := parent(st, i); p >= 0; p = parent(st, i) {
		i = p
	}
	return st[i].Image
}

// isExecForm reports whether the arguments of CMD, ENTRYPOINT or RUN are in
// the exec form, a JSON array of strings; anything else runs under a shell.
func isExecForm(args string) bool {
	var words []string
	return strings.HasPrefix(args, "[") && json.Unmarshal([]byte(args), &words) == nil
}

// splitImage splits an image reference such as
// "registry:5000/team/app:1.2@sha256:..." into name, tag and digest.
func splitImage(ref string) (name, tag, digest string) {
	ref, digest, _ = strings.Cut(ref, "@")
	if colon := strings.LastIndex(ref, ":"); colon > strings.LastIndex(ref, "/") {
		return ref[:colon], ref[colon+1:], digest
	}
	return ref, "", digest
}
