package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// versionOf returns twelve's version: the one set at build time, else the
// module version from the build info ("(devel)" for a source build).
func versionOf(buildVersion string) string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// versionLine is the version with the digest of today's templates, which
// a service's manifest records, and what the build info knows of the
// build: twelve v0.3.0 (templates 3f2a…, go1.26.0 linux/amd64), with the
// commit and a dirty flag when built from a clone.
func versionLine(version, templates string) string {
	parts := []string{"templates " + short(templates)}
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, when, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" {
			parts = append(parts, fmt.Sprintf("commit %.12s%s %s", rev, dirty, when))
		}
	}
	parts = append(parts, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return version + " (" + strings.Join(parts, ", ") + ")"
}

func newVersionCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print twelve's version and build information",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return printVersion(f) },
	}
}

// printVersion writes the version line to standard output.
func printVersion(f *factory) error {
	_, err := fmt.Fprintf(f.io.Out, "twelve %s\n", versionLine(f.version, f.revisions.current().digest))
	return err
}

// noArgs rejects any positional argument as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
