package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/twelvefactor/twelve/internal/checks"
)

type checkOptions struct {
	Dir    string
	Format checkFormat
	Strict bool
}

// checkFormat is the value of check --format: text, json or sarif. A flag
// value, so that a bad one is refused as flags are parsed, and help and
// completion list the formats from one place.
type checkFormat string

// checkFormats are the values of check --format.
var checkFormats = []string{"text", "json", "sarif"}

func (f *checkFormat) String() string { return string(*f) }

func (f *checkFormat) Type() string { return "format" }

func (f *checkFormat) Set(v string) error {
	if !slices.Contains(checkFormats, v) {
		return fmt.Errorf("use %s", strings.Join(checkFormats, ", "))
	}
	*f = checkFormat(v)
	return nil
}

func newCheckCmd(f *factory) *cobra.Command {
	opts := &checkOptions{Format: "text"}
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Audit a repository against the twelve factors",
		Long: `Audit DIR (default: the current directory) against the twelve factors:
a verdict per factor, I to XII (pass, warn, fail or n/a), and each finding
with its rule, what is wrong and how to fix it, and the file and line.

It reads Go (with go/parser), Python and Node.js basics, Dockerfiles,
Procfiles, shell scripts, systemd units, compose files and dependency
manifests. It honours .gitignore and skips .git, vendor, node_modules and
testdata folders, and files over 1 MiB, binary files and minified bundles:
data and generated code, whose sources are what it judges.

A folder or file that cannot be read (permissions, a path too long, more
than 100 folders deep) is skipped and named; the rest is audited.

Exit status: 0 when no factor fails, 1 when one does (with --strict, also
when one warns), 4 when none fails but part of the tree could not be read,
2 on a usage error.`,
		Example: `  twelve check
  twelve check ./myservice --strict
  twelve check --format sarif > twelve.sarif`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("twelve check takes at most one DIR, got %d arguments: %s", len(args), strings.Join(args, " "))
			}
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runCheck(f, opts)
		}),
	}
	fl := cmd.Flags()
	fl.Var(&opts.Format, "format", "output format: "+strings.Join(checkFormats, ", "))
	fl.BoolVar(&opts.Strict, "strict", false, "exit 1 when a factor warns, too")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(checkFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runCheck(f *factory, opts *checkOptions) error {
	dir := f.io.path(opts.Dir)
	if fi, err := os.Stat(dir); err != nil {
		return usagef("cannot check %s: %v", opts.Dir, unwrapPath(err))
	} else if !fi.IsDir() {
		return usagef("cannot check %s: not a directory; give the repository's folder", opts.Dir)
	}
	rep, err := checks.Check(os.DirFS(dir), checks.Options{Dir: dir})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	switch opts.Format {
	case "json":
		err = rep.WriteJSON(&out)
	case "sarif":
		err = rep.WriteSARIF(&out, f.version, repoPrefix(dir))
	default:
		err = rep.WriteText(&out, f.io.OutTTY && f.io.getenv("NO_COLOR") == "" && f.io.getenv("TERM") != "dumb")
	}
	if err != nil {
		return err
	}
	if _, err := f.io.Out.Write(out.Bytes()); err != nil {
		return err
	}
	if failed := rep.Failed(opts.Strict); len(failed) > 0 {
		what := "fail"
		if opts.Strict {
			what = "fail or warn (--strict)"
		}
		return fmt.Errorf("factors that %s: %s; fix the findings above", what, strings.Join(failed, ", "))
	}
	if n := len(rep.Unread); n > 0 {
		return &partialError{n: n}
	}
	return nil
}

// partialError says that check could not read part of the tree. It exits
// exitPartial.
type partialError struct{ n int }

func (e *partialError) Error() string {
	return fmt.Sprintf("could not read %s of the tree (named above as not read): the audit is partial; make them readable, or list them in .gitignore", plural(e.n, "part"))
}

// repoPrefix returns the slash path of dir from the root of the git
// repository it is in, "" at the root or outside any repository: SARIF
// locations are relative to the repository's root.
func repoPrefix(dir string) string {
	root := checks.GitRoot(dir)
	abs, err := filepath.Abs(dir)
	if root == "" || err != nil {
		return ""
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}

// unwrapPath drops the operation and path that an *os.PathError repeats.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
