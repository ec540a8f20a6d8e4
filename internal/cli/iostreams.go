package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"
)

// IOStreams are what a command has of the world it runs in: the standard
// streams and whether each is a terminal, the working directory and the
// environment. Tests build them from buffers, and run twelve in-process in
// a directory of their own.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // data: what a script may read
	ErrOut io.Writer // progress, messages and errors
	InTTY  bool
	OutTTY bool
	CI     bool // CI is set in the environment: never prompt, even on a terminal
	// Dir is the directory that relative paths start from: the process's
	// working directory when empty.
	Dir string
	// Env is the environment, as os.Environ gives it, that twelve reads
	// and that git gets: the process's when nil.
	Env []string
}

// path is a path the user gave, as the file system must see it.
func (s *IOStreams) path(p string) string {
	if s.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.Dir, p)
}

// rel names dir for messages: relative to the working directory when it is
// near.
func (s *IOStreams) rel(dir string) string {
	wd := s.Dir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return dir
		}
	}
	abs := dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, dir)
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && strings.Count(rel, "..") <= 3 {
		return rel
	}
	return dir
}

// within reports whether the working directory is dir or inside it.
func (s *IOStreams) within(dir string) bool {
	wd, err := filepath.Abs(s.path("."))
	if err != nil {
		return false
	}
	abs, err := filepath.Abs(s.path(dir))
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(abs, wd)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// environ is the environment.
func (s *IOStreams) environ() []string {
	if s.Env == nil {
		return os.Environ()
	}
	return s.Env
}

// getenv is the value of the variable key, "" when it is not set.
func (s *IOStreams) getenv(key string) string {
	if s.Env == nil {
		return os.Getenv(key)
	}
	v := ""
	for _, kv := range s.Env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val // the last wins, as in os/exec
		}
	}
	return v
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
