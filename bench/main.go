// Command bench is make bench: it measures twelve and the service it
// generates side by side with a baseline measured in the same run, and
// prints one Markdown table (written to bench/RESULTS.md too). Every figure
// is a ratio to its baseline, because the machines it runs on are noisy;
// nothing here is a test, and nothing here runs in make test or CI.
//
//	go run ./bench -twelve bin/twelve -out bench/RESULTS.md
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// row is one line of the results table.
type row struct {
	measure  string
	twelve   string // the figure of twelve or the generated service
	baseline string // the same figure of the baseline
	ratio    string // twelve / baseline, or the other way round when the goal says "faster"
	goal     string
	met      string // yes, no, or empty when there is no goal
}

// opts are the knobs of the run, smaller with -quick.
type opts struct {
	twelve, repo, root string
	genRuns            int
	startRuns          int
	wrkSeconds         int
	wrkRounds          int
	checkRuns          int
	testRuns           int
	pin                bool // server on CPU 0, wrk on CPU 1
}

func main() {
	var o opts
	out := flag.String("out", "bench/RESULTS.md", "write the Markdown results here (empty: stdout only)")
	quick := flag.Bool("quick", false, "fewer runs, for trying the bench out")
	keep := flag.Bool("keep", false, "keep the temporary directory")
	only := flag.String("only", "", "run only these sections, e.g. 1,3")
	flag.StringVar(&o.twelve, "twelve", "bin/twelve", "the twelve binary to measure")
	flag.Parse()
	o.genRuns, o.startRuns, o.wrkSeconds, o.wrkRounds, o.checkRuns, o.testRuns = 20, 20, 2, 7, 5, 3
	if *quick {
		o.genRuns, o.startRuns, o.wrkSeconds, o.wrkRounds, o.checkRuns, o.testRuns = 5, 5, 1, 1, 2, 1
	}
	o.pin = runtime.NumCPU() >= 2 && hasCommand("taskset")
	var err error
	if o.repo, err = os.Getwd(); err != nil {
		fatal(err)
	}
	if o.twelve, err = filepath.Abs(o.twelve); err != nil {
		fatal(err)
	}
	if o.root, err = os.MkdirTemp("", "twelve-bench-"); err != nil {
		fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(o.root)
	}
	for _, tool := range []string{"cookiecutter", "wrk", "go", "make"} {
		if !hasCommand(tool) {
			fatal(fmt.Errorf("%s is not installed: run make bench, which installs it", tool))
		}
	}

	started := time.Now()
	sections := []struct {
		title string
		run   func(opts) ([]row, error)
	}{
		{"1. Generation", generation},
		{"2. The generated service", service},
		{"3. SIGTERM under load", sigterm},
		{"4. twelve check", check},
		{"5. twelve new to a green make test", newToTest},
		{"6. Metrics and logging libraries (issue 18)", libraries},
	}
	var md strings.Builder
	fmt.Fprintf(&md, "# Benchmarks\n\n")
	fmt.Fprintf(&md, "`make bench` on %s: %d CPUs, %s, %s, twelve %s.\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), kernel(), goVersion(), gitDescribe(o.repo))
	fmt.Fprintf(&md, "Every ratio is against a baseline measured in the same run; see [How it is measured](#how-it-is-measured).\n\n")
	fmt.Fprintf(&md, "| measure | twelve | baseline | ratio | goal | met |\n|---|---|---|---|---|---|\n")
	for i, s := range sections {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), fmt.Sprint(i+1)) {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s\n", s.title)
		rows, err := s.run(o)
		if err != nil {
			fatal(fmt.Errorf("%s: %w", s.title, err))
		}
		fmt.Fprintf(&md, "| **%s** | | | | | |\n", s.title)
		for _, r := range rows {
			fmt.Fprintf(&md, "| %s | %s | %s | %s | %s | %s |\n", r.measure, r.twelve, r.baseline, r.ratio, r.goal, r.met)
		}
	}
	fmt.Fprintf(&md, "\nThe whole run took %s.\n\n", time.Since(started).Round(time.Second))
	md.WriteString(method)
	fmt.Print(md.String())
	if *out != "" {
		// Sections written by hand after the measured ones (the corpus
		// figures of twelve check) are kept.
		if old, err := os.ReadFile(*out); err == nil {
			if i := strings.Index(string(old), handWritten); i >= 0 {
				md.WriteString("\n" + string(old[i:]))
			}
		}
		if err := os.WriteFile(*out, []byte(md.String()), 0o644); err != nil {
			fatal(err)
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s\n", *out)
	}
}

// handWritten starts the part of RESULTS.md that make bench does not
// measure and keeps as it is.
const handWritten = "## twelve check on real applications"

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "bench: %s\n", err)
	os.Exit(1)
}

func hasCommand(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// run runs a command in dir and returns how long it took; its output is
// returned in the error when it fails.
func run(dir string, env []string, name string, args ...string) (time.Duration, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return d, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out.String(), 2000))
	}
	return d, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianF(fs []float64) float64 {
	s := slices.Clone(fs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ms formats a duration in milliseconds, or seconds from 10 s.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return "Linux " + strings.TrimSpace(string(b))
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

func gitDescribe(dir string) string {
	cmd := exec.Command("git", "describe", "--tags", "--always", "--dirty")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "dev"
	}
	return strings.TrimSpace(string(out))
}
