package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the components a service can have",
		Long: `List the components a service can have, one a line: its name, whether a
new service gets it by default, and what it adds.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := tabwriter.NewWriter(f.io.Out, 0, 4, 2, ' ', 0)
			for _, c := range f.catalog.Components() {
				def := ""
				if c.Default {
					def = "default"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", c.Name, def, c.Summary)
			}
			return w.Flush()
		},
	}
}
