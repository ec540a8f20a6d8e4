package cli

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Prompter asks a person at a terminal. Every question it asks has a flag
// too, so that nothing needs a terminal. A cancelled question (Ctrl-C or
// Esc) returns an error that is context.Canceled.
type Prompter interface {
	// Input asks for one line; Enter alone takes def. validate rejects an
	// answer with its reason, and the question is asked again.
	Input(message, help, def string, validate func(string) error) (string, error)
	// SelectComponents asks which of options to have, with the defaults
	// checked, and returns the names checked, in the order of options.
	SelectComponents(message string, options []Choice, defaults []string) ([]string, error)
	// Confirm asks a yes or no question.
	Confirm(message string, def bool) (bool, error)
}

// Choice is one option of a multiple choice: a component's name and its
// one-line summary.
type Choice struct {
	Name, Summary string
}

// errPromptCancelled is what a question cancelled with Ctrl-C or Esc
// returns. It is context.Canceled, so that twelve exits 130.
var errPromptCancelled error = promptCancelled{}

type promptCancelled struct{}

func (promptCancelled) Error() string        { return "cancelled at a prompt: nothing was written" }
func (promptCancelled) Is(target error) bool { return target == context.Canceled }

// surveyPrompter asks with github.com/AlecAivazis/survey/v2 on the given
// terminal.
type surveyPrompter struct {
	in  terminal.FileReader
	out terminal.FileWriter
	err io.Writer
}

// newSurveyPrompter returns a prompter on the streams, or nil when they are
// not files, as in tests that use buffers.
func newSurveyPrompter(s *IOStreams) Prompter {
	in, ok := s.In.(*os.File)
	out, ok2 := s.Out.(terminal.FileWriter)
	if !ok || !ok2 {
		return nil
	}
	return &surveyPrompter{in: escCancels{in}, out: out, err: s.ErrOut}
}

func (p *surveyPrompter) ask(q survey.Prompt, answer any, opts ...survey.AskOpt) error {
	opts = append(opts, survey.WithStdio(p.in, p.out, p.err))
	err := survey.AskOne(q, answer, opts...)
	if errors.Is(err, terminal.InterruptErr) {
		return errPromptCancelled
	}
	return err
}

func (p *surveyPrompter) Input(message, help, def string, validate func(string) error) (string, error) {
	var answer string
	q := &survey.Input{Message: message, Help: help, Default: def}
	err := p.ask(q, &answer, survey.WithValidator(func(v any) error {
		s, _ := v.(string)
		return validate(s)
	}))
	return answer, err
}

func (p *surveyPrompter) SelectComponents(message string, options []Choice, defaults []string) ([]string, error) {
	names := make([]string, len(options))
	for i, o := range options {
		names[i] = o.Name
	}
	q := &survey.MultiSelect{
		Message:  message,
		Options:  names,
		Default:  defaults,
		Help:     "space toggles, arrows move, Enter accepts; components that others need are added anyway",
		PageSize: len(options),
		Description: func(_ string, i int) string {
			return options[i].Summary
		},
	}
	answer := []string{}
	err := p.ask(q, &answer)
	return answer, err
}

func (p *surveyPrompter) Confirm(message string, def bool) (bool, error) {
	answer := def
	err := p.ask(&survey.Confirm{Message: message, Default: def}, &answer)
	return answer, err
}

// escCancels reads a terminal in raw mode, as survey puts it, and turns a
// lone Esc key into Ctrl-C, so that Esc cancels any question. Arrow keys
// also start with Esc, but arrive with the rest of their sequence in the
// same read.
type escCancels struct{ *os.File }

func (e escCancels) Read(b []byte) (int, error) {
	n, err := e.File.Read(b)
	if n == 1 && b[0] == 0x1b {
		b[0] = 0x03
	}
	return n, err
}
