package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
)

// notRun are the commands of README.md's code blocks that
// TestReadmeCommands does not run, each with the reason. A make command
// here is still checked: its target must exist.
var notRun = map[string]string{
	"go install github.com/twelvefactor/twelve/cmd/twelve@latest": "needs the network: TestGoInstall installs twelve the same way from a local module proxy",
	"make demo": "builds twelve and a service and runs it for a minute: make demo is its own test",
	"make test": "is the whole suite, this test included",
	"make run":  "serves until Ctrl-C: the end-to-end tests start a generated service and talk to it",
}

// readmeCommand is one command of a README code block.
type readmeCommand struct {
	line int      // its line in README.md
	text string   // as written, without the prompt
	want []string // a console block's output lines after it; "..." stands for any text
}

// readmeBlocks returns the commands of README.md's sh and console code
// blocks, one slice a block. A console block's commands start with "$ ";
// its other lines are output.
func readmeBlocks(readme string) [][]readmeCommand {
	var blocks [][]readmeCommand
	lang, in := "", false
	for i, line := range strings.Split(readme, "\n") {
		if fence, ok := strings.CutPrefix(line, "```"); ok {
			if in = !in; in {
				lang = strings.TrimSpace(fence)
				blocks = append(blocks, nil)
			}
			continue
		}
		b := len(blocks) - 1
		switch {
		case !in || strings.TrimSpace(line) == "":
		case lang == "sh":
			if cmd, _, _ := strings.Cut(line, "#"); strings.TrimSpace(cmd) != "" {
				blocks[b] = append(blocks[b], readmeCommand{line: i + 1, text: strings.TrimSpace(cmd)})
			}
		case lang == "console":
			if cmd, ok := strings.CutPrefix(line, "$ "); ok {
				blocks[b] = append(blocks[b], readmeCommand{line: i + 1, text: strings.TrimSpace(cmd)})
			} else if n := len(blocks[b]); n > 0 {
				blocks[b][n-1].want = append(blocks[b][n-1].want, line)
			}
		}
	}
	return blocks
}

// TestReadmeCommands runs the commands of README.md's sh and console code
// blocks in order, in a temporary directory where each block starts:
// twelve in-process, cd for real, the others listed in notRun. A console
// block's output lines must appear, in order, in what the command printed.
func TestReadmeCommands(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	dir := t.TempDir()
	for _, block := range readmeBlocks(string(data)) {
		t.Chdir(dir)
		for _, c := range block {
			var out bytes.Buffer
			for part := range strings.SplitSeq(c.text, " && ") {
				runReadmeCommand(t, c, part, makefile, &out)
				seen[part] = true
			}
			if missing := missingLines(c.want, out.String()); missing != "" {
				t.Errorf("README.md:%d: %s: the README shows %q, which it did not print; it printed:\n%s", c.line, c.text, missing, out.String())
			}
		}
	}
	for cmd := range notRun {
		if !seen[cmd] {
			t.Errorf("notRun lists %q, which README.md no longer has: remove it", cmd)
		}
	}
}

// runReadmeCommand runs one command of c, appending what it prints to out,
// and stops the test when it fails: the commands after it depend on it.
func runReadmeCommand(t *testing.T, c readmeCommand, cmd string, twelveMakefile []byte, out *bytes.Buffer) {
	t.Helper()
	if strings.ContainsAny(cmd, "'\"\\$`|;<>*&") {
		t.Fatalf("README.md:%d: %s: this test splits commands on spaces and && only: extend it for %q", c.line, c.text, cmd)
	}
	args := strings.Fields(cmd)
	if _, ok := notRun[cmd]; ok {
		if args[0] == "make" {
			// The Makefile of the directory the command runs in, else
			// twelve's own: the README's first commands are for a clone.
			mf, err := os.ReadFile("Makefile")
			if err != nil {
				mf = twelveMakefile
			}
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(args[1]) + `:`).Match(mf) {
				t.Errorf("README.md:%d: %s: no target %s in the Makefile", c.line, c.text, args[1])
			}
		}
		return
	}
	switch args[0] {
	case "cd":
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		if len(args) != 2 {
			t.Fatalf("README.md:%d: %s: cd takes one directory", c.line, c.text)
		}
		if _, err := os.Stat(filepath.Join(wd, args[1])); err != nil {
			t.Fatalf("README.md:%d: %s: %v", c.line, c.text, err)
		}
		t.Chdir(filepath.Join(wd, args[1]))
	case "twelve":
		streams := &cli.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: out}
		if code := cli.Main(context.Background(), args[1:], streams, testVersion); code != 0 {
			t.Fatalf("README.md:%d: %s: exit %d:\n%s", c.line, c.text, code, out.String())
		}
	default:
		t.Fatalf("README.md:%d: %s: run %q here (cd and twelve run), or list it in notRun with the reason it cannot", c.line, c.text, cmd)
	}
}

// missingLines returns the first of want that is not among got's lines,
// after the lines that matched the wants before it; "" when all are there.
func missingLines(want []string, got string) string {
	lines := strings.Split(got, "\n")
	for _, w := range want {
		parts := strings.Split(w, "...")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re := regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
		for len(lines) > 0 && !re.MatchString(lines[0]) {
			lines = lines[1:]
		}
		if len(lines) == 0 {
			return w
		}
		lines = lines[1:]
	}
	return ""
}
