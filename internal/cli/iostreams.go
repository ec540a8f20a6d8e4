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
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
}
