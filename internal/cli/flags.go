package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

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
