package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	svcName   = "myservice"
	svcModule = "example.com/myservice"
)

// newService runs twelve new with the default components into dir/myservice,
// without its git init: the bench compares rendering a tree, and git init is
// the same fixed cost for any generator.
func newService(o opts, dir string, flags ...string) (time.Duration, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	args := append([]string{"new", svcName, "--module", svcModule, "--no-input", "--git=false", "--dir", filepath.Join(dir, svcName)}, flags...)
	return run(dir, nil, o.twelve, args...)
}

// generation times twelve new against cp -r of its output and against
// cookiecutter rendering the same tree, the three interleaved.
func generation(o opts) ([]row, error) {
	ref := filepath.Join(o.root, "gen-ref")
	if _, err := newService(o, ref); err != nil {
		return nil, err
	}
	tree := filepath.Join(ref, svcName)
	tmpl := filepath.Join(o.root, "cc-template")
	if err := cookiecutterTemplate(tree, tmpl); err != nil {
		return nil, err
	}
	ccHome := filepath.Join(o.root, "cc-home")
	ccConfig := filepath.Join(o.root, "cc-config.yaml")
	config := fmt.Sprintf("cookiecutters_dir: %s/cookiecutters\nreplay_dir: %s/replay\n", ccHome, ccHome)
	if err := os.WriteFile(ccConfig, []byte(config), 0o644); err != nil {
		return nil, err
	}
	ccEnv := []string{"COOKIECUTTER_CONFIG=" + ccConfig}
	noop, err := buildNoop(o)
	if err != nil {
		return nil, err
	}

	var tw, cp, cc, tv, np []time.Duration
	for i := -1; i < o.genRuns; i++ { // run -1 warms up and is not counted
		dir := filepath.Join(o.root, "gen", fmt.Sprint(i))
		for _, sub := range []string{"twelve", "cp", "cc"} {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				return nil, err
			}
		}
		d1, err := newService(o, filepath.Join(dir, "twelve"))
		if err != nil {
			return nil, err
		}
		d2, err := run(dir, nil, "cp", "-r", tree, filepath.Join(dir, "cp", svcName))
		if err != nil {
			return nil, err
		}
		d3, err := run(dir, ccEnv, "cookiecutter", "--no-input", "-o", filepath.Join(dir, "cc"), tmpl, "name="+svcName)
		if err != nil {
			return nil, err
		}
		// The start-up floors: twelve doing nothing but start, and a Go
		// program that only starts.
		d4, err := run(dir, nil, o.twelve, "version")
		if err != nil {
			return nil, err
		}
		d5, err := run(dir, nil, noop)
		if err != nil {
			return nil, err
		}
		if i == -1 {
			// cookiecutter must render exactly the tree twelve writes, or
			// the comparison means nothing.
			if err := sameTree(tree, filepath.Join(dir, "cc", svcName)); err != nil {
				return nil, fmt.Errorf("cookiecutter's tree differs from twelve's: %w", err)
			}
		}
		if i >= 0 {
			tw, cp, cc = append(tw, d1), append(cp, d2), append(cc, d3)
			tv, np = append(tv, d4), append(np, d5)
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	files := 0
	filepath.WalkDir(tree, func(_ string, d fs.DirEntry, _ error) error {
		if !d.IsDir() {
			files++
		}
		return nil
	})
	t, c, k, v, n := median(tw), median(cp), median(cc), median(tv), median(np)
	withMin := func(d time.Duration, ds []time.Duration) string {
		return fmt.Sprintf("%s (min %s)", ms(d), ms(slices.Min(ds)))
	}
	tmin, cmin, kmin := float64(slices.Min(tw)), float64(slices.Min(cp)), float64(slices.Min(cc))
	return []row{
		{fmt.Sprintf("`twelve new` (%d files), median of %d", files, o.genRuns), withMin(t, tw), "`cp -r`: " + withMin(c, cp), ratio(float64(t)/float64(c)) + " (mins: " + ratio(tmin/cmin) + ")", "≤ 3× the copy", met(float64(t) <= 3*float64(c))},
		{"the same tree with cookiecutter", withMin(t, tw), "cookiecutter: " + withMin(k, cc), ratio(float64(k)/float64(t)) + " faster (mins: " + ratio(kmin/tmin) + ")", "≥ 20× faster", met(float64(k) >= 20*float64(t))},
		{"`twelve version`: twelve starting, nothing rendered", withMin(v, tv), "cookiecutter: " + withMin(k, cc), ratio(float64(k)/float64(v)) + " faster", "", ""},
		{"a Go program that only exits: any Go tool's floor", withMin(n, np), "cookiecutter: " + withMin(k, cc), ratio(float64(k)/float64(n)) + " faster", "", ""},
	}, nil
}

// buildNoop builds bench/noop the way twelve is built (static, -trimpath)
// and returns its path: its run time is the start-up of any Go program on
// this machine, which bounds the cookiecutter ratio.
func buildNoop(o opts) (string, error) {
	bin := filepath.Join(o.root, "noop")
	_, err := run(o.repo, []string{"CGO_ENABLED=0"}, "go", "build", "-trimpath", "-o", bin, "./bench/noop")
	return bin, err
}

// cookiecutterTemplate turns a generated tree into a cookiecutter template
// that renders it again: every "myservice" in paths and contents becomes
// {{cookiecutter.name}}, and every other piece of text that holds Jinja
// syntax ({{, {% or {#, as Go composite literals do) is wrapped in a raw
// block, so that cookiecutter renders every file through Jinja as it would
// a real template.
func cookiecutterTemplate(tree, tmpl string) error {
	const name = "{{cookiecutter.name}}"
	if err := os.MkdirAll(tmpl, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmpl, "cookiecutter.json"), []byte(`{"name": "`+svcName+`"}`+"\n"), 0o644); err != nil {
		return err
	}
	return filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(tree), path)
		dst := filepath.Join(tmpl, strings.ReplaceAll(rel, svcName, name))
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		parts := strings.Split(string(b), svcName)
		for i, p := range parts {
			if strings.Contains(p, "{{") || strings.Contains(p, "{%") || strings.Contains(p, "{#") {
				parts[i] = "{% raw %}" + p + "{% endraw %}"
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, []byte(strings.Join(parts, name)), info.Mode().Perm())
	})
}

// sameTree reports the first difference between two trees: a file missing
// or extra, different bytes or a different executable bit.
func sameTree(a, b string) error {
	seen := map[string]bool{}
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		seen[rel] = true
		x, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(x, y) {
			return fmt.Errorf("%s differs", rel)
		}
		ix, _ := d.Info()
		iy, err := os.Stat(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if ix.Mode()&0o111 != iy.Mode()&0o111 {
			return fmt.Errorf("%s: mode %v, want %v", rel, iy.Mode(), ix.Mode())
		}
		return nil
	})
	if err != nil {
		return err
	}
	return filepath.WalkDir(b, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(b, path)
		if !seen[rel] {
			return fmt.Errorf("%s is extra", rel)
		}
		return nil
	})
}
