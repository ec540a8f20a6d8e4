// Add archives the current templates, as make archive does, from the
// repository's root:
//
//	go run ./internal/archive/add
//
// When templates/ is a tree the archive does not hold yet, it writes its new
// blobs and a revision for the current renderer, with checks rendered by
// that renderer for the fixed answer sets; otherwise it writes nothing.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/twelvefactor/twelve/internal/archive"
	"github.com/twelvefactor/twelve/internal/render"
)

func main() {
	src := flag.String("templates", "templates", "the template tree")
	dir := flag.String("archive", filepath.Join("templates", archive.Dir), "the archive folder")
	flag.Parse()
	if err := run(*src, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "archive:", err)
		os.Exit(1)
	}
}

func run(src, dir string) error {
	fsys := os.DirFS(src)
	files, err := archive.Tree(fsys)
	if err != nil {
		return err
	}
	blobs := archive.Blobs(files)
	r := archive.Revision{
		Digest:   archive.Digest(render.Renderer, blobs),
		Renderer: render.Renderer,
		Date:     time.Now().UTC().Format(time.RFC3339),
		Files:    blobs,
	}
	c, err := render.Load(fsys)
	if err != nil {
		return err
	}
	checks := archive.Checks{Digest: r.Digest}
	if checks.Answers, err = archive.AnswerSets(c, true); err != nil {
		return err
	}
	if checks.Files, err = archive.CheckSets(c, checks.Answers); err != nil {
		return err
	}
	added, err := archive.Write(dir, r, files, checks)
	if err != nil {
		return err
	}
	if !added {
		fmt.Fprintf(os.Stderr, "templates are archived already: %s\n", r.Digest)
		return nil
	}
	fmt.Fprintf(os.Stderr, "archived templates as %s (renderer %d): commit %s with the template change\n", r.Digest, r.Renderer, dir)
	return nil
}
