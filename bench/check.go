package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// check times twelve check on the Go source tree against reading the same
// files with find and cat.
func check(o opts) ([]row, error) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	// twelve check skips .git, vendor, node_modules and testdata folders:
	// so does the baseline.
	read := `find "$1" \( -name .git -o -name vendor -o -name node_modules -o -name testdata \) -prune -o -type f -print0 | xargs -0 cat >/dev/null`
	count := `find "$1" \( -name .git -o -name vendor -o -name node_modules -o -name testdata \) -prune -o -type f -print | wc -l`
	out, err := exec.Command("sh", "-c", count, "sh", src).Output()
	if err != nil {
		return nil, err
	}
	readFiles := strings.TrimSpace(string(out))

	var files int
	var tc, tr []time.Duration
	for i := -1; i < o.checkRuns; i++ {
		cmd := exec.Command(o.twelve, "check", "--format", "json", src)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: a factor fails
			return nil, fmt.Errorf("twelve check %s: %v\n%s", src, err, stderr.String())
		}
		var report struct{ Files int }
		if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
			return nil, fmt.Errorf("twelve check --format json: %v", err)
		}
		files = report.Files
		d2, err := run(o.root, nil, "sh", "-c", read, "sh", src)
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			tc, tr = append(tc, d), append(tr, d2)
		}
	}
	c, r := median(tc), median(tr)
	return []row{
		{fmt.Sprintf("`twelve check $(go env GOROOT)/src`, median of %d", o.checkRuns), fmt.Sprintf("%s, %d files", ms(c), files), fmt.Sprintf("read with find and cat: %s, %s files", ms(r), readFiles), ratio(float64(c) / float64(r)), "< 2 s", met(c < 2*time.Second)},
		{"files audited per second", fmt.Sprintf("%.0f", float64(files)/c.Seconds()), "", "", "", ""},
	}, nil
}
