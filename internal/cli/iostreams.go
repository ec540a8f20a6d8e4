package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams a command uses, and whether each is a
// terminal. Tests build them from buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // data: what a script may read
	ErrOut io.Writer // progress, messages and errors
	InTTY  bool
	OutTTY bool
	CI     bool // CI is set in the environment: never prompt, even on a terminal
}

// CanPrompt reports whether someone can be asked: stdin and stdout are
// terminals and this is not CI. Commands also honour --no-input.
func (s *IOStreams) CanPrompt() bool {
	return s.InTTY && s.OutTTY && !s.CI
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		CI:     isCI(os.Getenv("CI")),
	}
}

// isCI reads the CI variable that CI services set: any value but empty,
// "false" or "0" means CI.
func isCI(v string) bool {
	return v != "" && v != "false" && v != "0"
}
