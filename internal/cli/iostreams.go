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
	Getenv func(string) string
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		Getenv: os.Getenv,
	}
}

// CanPrompt reports whether a person can be asked: stdin and stdout are
// terminals, --no-input is not set, and CI is not set in the environment.
func (s *IOStreams) CanPrompt(noInput bool) bool {
	return s.InTTY && s.OutTTY && !noInput && (s.Getenv == nil || s.Getenv("CI") == "")
}
