package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/render"
)

// componentList is a flag holding component names, comma-separated or
// repeated. It knows the catalog, so that an unknown name is rejected as the
// flag is parsed and help and completion list the names from one place.
type componentList struct {
	catalog *render.Catalog
	names   []string
}

func (l *componentList) String() string { return strings.Join(l.names, ",") }

func (l *componentList) Type() string { return "components" }

func (l *componentList) Set(v string) error {
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if l.catalog.Component(name) == nil {
			return fmt.Errorf("unknown component %s (known: %s)", show(name), strings.Join(l.catalog.Names(), ", "))
		}
		if !slices.Contains(l.names, name) {
			l.names = append(l.names, name)
		}
	}
	return nil
}

// complete offers the component names not yet in the flag's value.
func (l *componentList) complete(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done := strings.Split(toComplete, ",")
	prefix := strings.Join(done[:len(done)-1], ",")
	if prefix != "" {
		prefix += ","
	}
	var out []string
	for _, c := range l.catalog.Components() {
		if !slices.Contains(done, c.Name) {
			out = append(out, prefix+c.Name+"\t"+c.Summary)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// answerFlag is the flag of an answer (--module, --prefix, --port): it
// keeps the text typed, which is parsed with the answers file's, after it,
// by the answer's field, so that a flag, a prompt, an answers file and
// update --set read an answer alike.
type answerFlag struct {
	kind answers.Kind
	text string
}

func (v *answerFlag) String() string { return v.text }

// Set takes any text but, for a number, one that is not made of digits:
// that one is refused as the flag is parsed, as an int flag's would be.
func (v *answerFlag) Set(s string) error {
	if v.kind == answers.Number && strings.Trim(s, "0123456789") != "" {
		return errors.New("use a number from 1 to 65535")
	}
	v.text = s
	return nil
}

func (v *answerFlag) Type() string {
	if v.kind == answers.Number {
		return "int"
	}
	return "string"
}
