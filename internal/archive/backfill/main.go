// Backfill fills templates/archive with every template tree in twelve's git
// history, from the repository's root:
//
//	go run ./internal/archive/backfill [-cache DIR] [-rev COMMIT] [-verify]
//
// For each commit that touched templates/ or internal/render, oldest first,
// it reads the tree that render.Load reads and gives it the renderer
// version of that commit (see renderers). When the tree is not archived
// yet, it builds that commit's twelve (cached in DIR/bins) and records the
// sha256 of every file that its twelve new wrote for the fixed answer sets
// as the revision's checks. It renders the same answers with this twelve's
// render.LoadVersion and fails, writing nothing for that revision, when a
// file differs: the archive only holds revisions that this renderer
// reproduces byte for byte. Run again, it writes nothing new: a revision,
// once written, is never edited. With -verify it checks the twelve new of
// every commit whose tree is archived already too, and so of every commit
// that changed the render code.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/twelvefactor/twelve/internal/archive"
	"github.com/twelvefactor/twelve/internal/render"
)

// renderers are the commits from which twelve rendered with each renderer
// version: a tree gets the highest version whose commit is its commit's
// ancestor.
var renderers = []struct {
	version int
	since   string
}{
	{1, ""},
	{2, "179af83dd80d31692128ffb36abddeb03736e57d"}, // render: Go templates render gofmt-clean, no gofmt
}

func main() {
	cache := flag.String("cache", filepath.Join(os.TempDir(), "twelve-archive"), "folder for the old twelve binaries and their sources")
	dir := flag.String("archive", filepath.Join("templates", archive.Dir), "the archive folder")
	verify := flag.Bool("verify", false, "also check the twelve new of every commit whose tree is archived already")
	rev := flag.String("rev", "HEAD", "the commit whose history to archive, such as a branch about to be merged")
	flag.Parse()
	if err := run(*cache, *dir, *rev, *verify); err != nil {
		fmt.Fprintln(os.Stderr, "backfill:", err)
		os.Exit(1)
	}
}

func run(cache, dir, rev string, verify bool) error {
	// Commits that changed the render code too: one that changed how a
	// tree renders without changing the tree makes a revision of its own.
	out, err := git("log", "--reverse", "--format=%H %cI", rev, "--", "templates", "internal/render")
	if err != nil {
		return err
	}
	existing, err := archive.Read(dir)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range existing {
		have[r.Digest] = true
	}
	seen := map[string]string{} // digest -> first commit
	var failed []string
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		commit, date, _ := strings.Cut(strings.TrimSpace(line), " ")
		files, err := tree(commit)
		if err != nil {
			return err
		}
		version, err := rendererOf(commit)
		if err != nil {
			return err
		}
		blobs := archive.Blobs(files)
		digest := archive.Digest(version, blobs)
		r := archive.Revision{Digest: digest, Renderer: version, Commit: commit, Date: date, Files: blobs}
		first, dup := seen[digest]
		if !dup {
			seen[digest] = commit
		}
		if dup || have[digest] {
			what := fmt.Sprintf("same tree and renderer as %.7s", first)
			if !dup {
				what = digest + " archived already"
			}
			if verify {
				if _, err := checkRevision(cache, &r, files); err != nil {
					fmt.Printf("%.7s  %s, FAILED: %v\n", commit, what, err)
					failed = append(failed, commit[:7])
					continue
				}
				if r.Note == "" {
					what += ", its twelve new reproduced"
				} else {
					what += ", no twelve new at this commit"
				}
			}
			fmt.Printf("%.7s  %s\n", commit, what)
			continue
		}
		checks, err := checkRevision(cache, &r, files)
		if err != nil {
			fmt.Printf("%.7s  FAILED: %v\n", commit, err)
			failed = append(failed, commit[:7])
			continue
		}
		if _, err := archive.Write(dir, r, files, checks); err != nil {
			return err
		}
		have[digest] = true
		fmt.Printf("%.7s  renderer %d  %s  %s\n", commit, version, digest, noteOr(r.Note, "checks from its twelve new, reproduced"))
	}
	if len(failed) > 0 {
		return fmt.Errorf("twelve new not reproduced at %s", strings.Join(failed, " "))
	}
	return nil
}

func noteOr(note, otherwise string) string {
	if note != "" {
		return note
	}
	return otherwise
}

// checkRevision returns r's checks, from the commit's twelve new when it
// has one, which this renderer must reproduce, else from this renderer; it
// sets r.Note when they do not come from twelve new.
func checkRevision(cache string, r *archive.Revision, files map[string][]byte) (archive.Checks, error) {
	checks := archive.Checks{Digest: r.Digest, Files: map[string]map[string]string{}}
	m := fstest.MapFS{}
	for p, data := range files {
		m[p] = &fstest.MapFile{Data: data}
	}
	c, err := render.LoadVersion(m, r.Renderer)
	if err != nil {
		return checks, err
	}
	bin, err := build(cache, r.Commit)
	if err != nil {
		return checks, err
	}
	if bin == "" {
		r.Note = fmt.Sprintf("no twelve new at this commit: checks rendered with renderer %d", r.Renderer)
		checks.Note = r.Note
		if checks.Answers, err = archive.AnswerSets(c, false); err != nil {
			return checks, err
		}
		checks.Files, err = archive.CheckSets(c, checks.Answers)
		return checks, err
	}
	help, err := exec.Command(bin, "new", "--help").CombinedOutput()
	if err != nil {
		return checks, fmt.Errorf("twelve new --help: %v: %s", err, help)
	}
	prefixPort := bytes.Contains(help, []byte("--prefix")) && bytes.Contains(help, []byte("--port"))
	if checks.Answers, err = archive.AnswerSets(c, prefixPort); err != nil {
		return checks, err
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(checks.Answers)) {
		a := checks.Answers[name]
		made, err := twelveNew(bin, help, a, c.Defaults())
		if err != nil {
			return checks, fmt.Errorf("answers %s: %w", name, err)
		}
		rendered, err := archive.Check(c, a)
		if err != nil {
			return checks, fmt.Errorf("answers %s: %w", name, err)
		}
		for _, p := range slices.Sorted(maps.Keys(made)) {
			switch got, ok := rendered[p]; {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: %s: not rendered", name, p))
			case got != made[p]:
				problems = append(problems, fmt.Sprintf("%s: %s: rendered differently", name, p))
			}
		}
		for p := range rendered {
			if _, ok := made[p]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %s: rendered, not made by twelve new", name, p))
			}
		}
		checks.Files[name] = made
	}
	if len(problems) > 0 {
		return checks, errors.New(strings.Join(problems, "\n\t"))
	}
	return checks, nil
}

// twelveNew runs an old twelve new with the answers, its components as
// --with and --without the defaults, and returns the sha256
// of each file it wrote, without .git and .twelve.json (which records the
// version of twelve).
func twelveNew(bin string, help []byte, a render.Answers, defaults []string) (map[string]string, error) {
	tmp, err := os.MkdirTemp("", "twelve-backfill-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	target := filepath.Join(tmp, a.Name)
	args := []string{"new", a.Name, "--module", a.Module, "--no-input", "--dir", target}
	if bytes.Contains(help, []byte("--git")) {
		args = append(args, "--git=false")
	}
	var with, without []string
	for _, comp := range a.Components {
		if !slices.Contains(defaults, comp) {
			with = append(with, comp)
		}
	}
	for _, comp := range defaults {
		if !slices.Contains(a.Components, comp) {
			without = append(without, comp)
		}
	}
	if len(with) > 0 {
		args = append(args, "--with", strings.Join(with, ","))
	}
	if len(without) > 0 {
		args = append(args, "--without", strings.Join(without, ","))
	}
	if a.Prefix != "" {
		args = append(args, "--prefix", a.Prefix)
	}
	if a.Port != 0 {
		args = append(args, "--port", fmt.Sprint(a.Port))
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "CI=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("twelve %s: %v: %s", strings.Join(args, " "), err, out)
	}
	sums := map[string]string{}
	err = filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(target, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == ".twelve.json" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sums[rel] = archive.Hash(data)
		return nil
	})
	return sums, err
}

// build returns the commit's twelve, built from its sources once and kept
// in cache/bins, or "" when the commit has no cmd/twelve.
func build(cache, commit string) (string, error) {
	bin := filepath.Join(cache, "bins", commit)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if _, err := git("cat-file", "-e", commit+":cmd/twelve"); err != nil {
		return "", nil
	}
	src := filepath.Join(cache, "src", commit)
	if err := os.RemoveAll(src); err != nil {
		return "", err
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	sh := exec.Command("sh", "-c", `git archive "$1" | tar -x -C "$2"`, "sh", commit, src)
	if out, err := sh.CombinedOutput(); err != nil {
		return "", fmt.Errorf("git archive %s: %v: %s", commit, err, out)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/twelve")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building twelve at %s: %v: %s", commit, err, out)
	}
	return bin, nil
}

// tree returns the files of templates/ at commit that render.Load reads.
func tree(commit string) (map[string][]byte, error) {
	out, err := git("ls-tree", "-r", "-z", "--full-tree", commit, "templates/")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for entry := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		meta, p, _ := strings.Cut(entry, "\t")
		rel := strings.TrimPrefix(p, "templates/")
		fields := strings.Fields(meta)
		if len(fields) != 3 || fields[1] != "blob" || !archive.InTree(rel) {
			continue
		}
		data, err := git("cat-file", "blob", fields[2])
		if err != nil {
			return nil, err
		}
		files[rel] = data
	}
	return files, nil
}

// rendererOf returns the renderer version that twelve had at commit.
func rendererOf(commit string) (int, error) {
	v := 0
	for _, r := range renderers {
		if r.since == "" {
			v = r.version
			continue
		}
		err := exec.Command("git", "merge-base", "--is-ancestor", r.since, commit).Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			v = r.version
		case errors.As(err, &exit) && exit.ExitCode() == 1:
		default:
			return 0, fmt.Errorf("git merge-base %s %s: %w", r.since, commit, err)
		}
	}
	return v, nil
}

func git(args ...string) ([]byte, error) {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, exit.Stderr)
		}
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}
