package render_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/format"
	"path"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
)

// anyAnswers differ in every way the answers could change a Go file's
// layout: the lengths of the name, module path, prefix and port (the
// longest the checks allow), and module paths that sort before and after
// every other import path.
var anyAnswers = []render.Answers{
	{Name: "a", Module: "0", Port: 1},
	{Name: "svc", Module: "example.com/svc", Prefix: "S_"},
	{Name: "billing-api_2", Module: "github.com/acme/billing~x+y/v2", Prefix: "BILLING_API_", Port: 9090},
	{
		Name:   "z" + strings.Repeat("long-name_", 6) + "zz",
		Module: "~" + strings.Repeat("z", 30) + ".example/" + strings.Repeat("long/", 40) + "svc",
		Prefix: "P" + strings.Repeat("LONG_", 6),
		Port:   65535,
	},
}

// TestGoIsGofmtCleanForAnyAnswers: Render does not run gofmt, so every Go
// template must render gofmt-clean Go for every set of components and any
// answers. A template fails this when gofmt aligns something whose width
// the answers or the components change: key-value pairs, struct fields,
// const blocks, trailing comments. Pad such columns with the pad function,
// or break the alignment (a blank line, or no trailing comment).
func TestGoIsGofmtCleanForAnyAnswers(t *testing.T) {
	c := load(t)
	checked := map[[sha256.Size]byte]bool{}
	renders := 0
	for _, comps := range uniqueCombinations(t, c) {
		for _, a := range anyAnswers {
			if len(a.Name) > 63 || len(a.Prefix) > 32 {
				t.Fatalf("answers %+v are longer than the checks allow", a)
			}
			a.Components = comps
			files, err := c.RenderSources(a)
			if err != nil {
				t.Fatalf("components %v, answers %+v: %v", comps, a, err)
			}
			renders++
			for _, f := range files {
				if path.Ext(f.Path) != ".go" {
					continue
				}
				sum := sha256.Sum256(f.Data)
				if checked[sum] {
					continue
				}
				checked[sum] = true
				formatted, err := format.Source(f.Data)
				if err != nil {
					t.Fatalf("%s (components %v, answers %+v) does not parse: %v", f.Path, comps, a, err)
				}
				if !bytes.Equal(formatted, f.Data) {
					t.Fatalf("%s (components %v, name %q, module %q, prefix %q, port %d) is not gofmt-clean:\n%s",
						f.Path, comps, a.Name, a.Module, a.Prefix, a.Port, firstDiff(f.Data, formatted))
				}
			}
		}
	}
	t.Logf("%d renders, %d distinct Go files", renders, len(checked))
}

// uniqueCombinations is combinations without the sets that resolve alike.
func uniqueCombinations(t *testing.T, c *render.Catalog) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, comps := range combinations(t, c) {
		if k := strings.Join(comps, ","); !seen[k] {
			seen[k] = true
			out = append(out, comps)
		}
	}
	return out
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n  rendered: %q\n  gofmt:    %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines rendered, %d after gofmt", len(g), len(w))
}
