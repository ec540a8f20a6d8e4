package main

import (
	"fmt"
	"path/filepath"
	"time"
)

// newToTest times twelve new followed by make test (go test -race ./...)
// in a fresh directory, against go build ./... of a fresh copy of the same
// tree: the least a first command that compiles the service costs. Both
// start with the same warm module and build caches, in which the
// dependencies are compiled already (a warm-up run of each fills them);
// both compile the service's own packages again, because the go command
// keys compiled packages by their directory when -trimpath is not given.
func newToTest(o opts) ([]row, error) {
	ref := filepath.Join(o.root, "gen-ref", svcName)
	var tt, tb []time.Duration
	for i := -1; i < o.testRuns; i++ {
		dir := filepath.Join(o.root, "mt", fmt.Sprint(i))
		d1, err := newService(o, filepath.Join(dir, "new"))
		if err != nil {
			return nil, err
		}
		d2, err := run(filepath.Join(dir, "new", svcName), nil, "make", "test")
		if err != nil {
			return nil, err
		}
		d3, err := run(dir, nil, "cp", "-r", ref, filepath.Join(dir, "copy"))
		if err != nil {
			return nil, err
		}
		d4, err := run(filepath.Join(dir, "copy"), nil, "go", "build", "./...")
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			tt, tb = append(tt, d1+d2), append(tb, d3+d4)
		}
	}
	t, b := median(tt), median(tb)
	return []row{
		{fmt.Sprintf("`twelve new` then `make test` (`go test -race`), warm caches, median of %d", o.testRuns), ms(t), "`cp -r` then `go build ./...`: " + ms(b), ratio(float64(t) / float64(b)), "", ""},
	}, nil
}
