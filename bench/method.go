package main

// method is the end of RESULTS.md: how each figure is measured.
const method = `## How it is measured

Wall times are medians of interleaved runs (twelve, then its baseline, then
again), after one warm-up run of each that is not counted. Ratios are
twelve / baseline, so lower is better, except where the row says "faster".
Generation also shows the fastest run of each and their ratio: this disk
has stretches where every file operation is several times slower, which
the medians of both sides absorb, and the fastest runs do not.

1. **Generation.** ` + "`twelve new myservice --module example.com/myservice --no-input`" + `
   (default components) into a fresh directory, against ` + "`cp -r`" + ` of the tree it
   wrote (the floor: the same bytes written by the leanest process) and
   against cookiecutter (Debian's package) rendering the same tree. The
   cookiecutter template is built from a generated tree at bench time:
   every ` + "`myservice`" + ` in paths and contents becomes ` + "`{{cookiecutter.name}}`" + `, and every
   other stretch of text holding Jinja syntax (` + "`{{`" + `, ` + "`{%`" + `, ` + "`{#`" + `, as Go composite
   literals do) is wrapped in ` + "`{% raw %}…{% endraw %}`" + `, so cookiecutter renders
   every file through Jinja as it would a real template. The bench checks
   that cookiecutter's output is byte for byte twelve's tree (modes too)
   before timing anything. Two more commands run in the same rounds, to
   show what bounds the cookiecutter ratio: ` + "`twelve version`" + ` (twelve's
   start-up with nothing rendered) and a Go program that only exits, built
   as twelve is (static, -trimpath).
2. **The generated service**, built with ` + "`go build -trimpath`" + ` from a fresh
   ` + "`twelve new`" + `, against ` + "`bench/baseline`" + `: a bare net/http server on the same
   HOST and PORT answering ` + "`/-/healthy`" + ` and ` + "`/-/ready`" + ` with static 200s and
   ` + "`/hello`" + ` with the same JSON, with no access log, request IDs, metrics or
   graceful shutdown. Start-up is exec to the first 200 on ` + "`/-/ready`" + `,
   polled every 0.2 ms; memory is VmRSS right then. Both are measured for
   a service made ` + "`--without metrics`" + ` too, to show what the metrics
   cost. Throughput is wrk (one thread, 32 keep-alive connections, 2 s)
   against each server in turn, for several rounds; the ratio is the median
   of the rounds' ratios, because the machine's speed drifts from one round
   to the next. With two CPUs or more each server is pinned to CPU 0 and wrk
   to CPU 1 (taskset), so the server has one CPU: its CPU time per request
   (user and system, from /proc/PID/stat) is the steadiest figure, as it
   counts no time stolen by other machines. The service logs in JSON (one
   access-log line per request, with its request ID) to stdout, redirected
   to a file as a supervisor would, and counts every request in its
   Prometheus metrics; the bench checks that the log was written.
3. **SIGTERM under load.** 32 Go clients with keep-alive connections send
   ` + "`GET /hello`" + `, each with its own X-Request-ID, as fast as they can; after
   1 s the service gets SIGTERM with ` + "`SHUTDOWN_DELAY=500ms`" + `, and the load goes
   on until 100 ms after it exits. The clients never retry (a request with
   a body the client cannot replay), so every failure shows. The moment the
   listener closed is the earliest connect that was refused (by a client,
   or by a prober dialling every millisecond): a refused connect proves the
   listener was closed. A request is *in flight* when it started before
   that moment and the service got it; each one must end in a 2xx, and any
   error or other status is an in-flight failure. Not in flight: requests
   refused at connect (the service never saw them), requests started after
   the listener closed, and requests written, at the very moment the
   listener closed, on a kept-alive connection the service closed as idle
   without reading them: their request ID is not in the service's access
   log. In production none of these reach the service, because the load
   balancer stopped sending when ` + "`/-/ready`" + ` began to fail, SHUTDOWN_DELAY
   earlier. The baseline has no access log, so all its failures before the
   listener closed count: it dies on SIGTERM, and shows what failures look
   like to the same load generator.
4. **twelve check** on ` + "`$(go env GOROOT)/src`" + ` (exit 1 when a factor fails is
   expected) against reading the same files, skipping the same folders
   (` + "`.git`" + `, ` + "`vendor`" + `, ` + "`node_modules`" + `, ` + "`testdata`" + `), with ` + "`find … | xargs cat >/dev/null`" + `.
   Both read from the page cache after the warm-up.
5. **twelve new to a green make test**: ` + "`twelve new`" + ` then ` + "`make test`" + ` (the
   generated Makefile's ` + "`go test -race ./...`" + `) in a fresh directory, against
   ` + "`cp -r`" + ` of the same tree and ` + "`go build ./...`" + `, the least any first command
   that compiles the service costs. Both start from the same warm module and
   build caches (the dependencies are compiled already); both compile the
   service's own packages again, since the go command keys compiled
   packages by directory without -trimpath. The ratio is what testing with
   the race detector (instrumented compiles, eight test binaries, running
   them) adds on top of building.
6. **Metrics and logging libraries** (issue 18): programs of their own in
   ` + "`bench/variants`" + ` (a module of its own, so twelve's go.mod takes none of
   the libraries), each ` + "`bench/baseline`" + `'s server and routes with one thing
   added by the same middleware, built as the baseline is: metrics by the
   generated service's ` + "`internal/metrics`" + ` (copied from a fresh ` + "`twelve new`" + `),
   by prometheus/client_golang (a registry of its own, the Go and process
   collectors, a request counter and a duration histogram by route,
   ` + "`promhttp.HandlerFor`" + `) and by VictoriaMetrics/metrics (a Set of its own,
   ` + "`WriteProcessMetrics`" + ` and ` + "`WriteFDMetrics`" + `, metadata on); and an access-log
   line per request from slog's JSON handler, written to stdout line by
   line, as the generated service writes it since issue 18. Start-up
   and memory as in section 2, interleaved with the baseline, then memory
   again after 10000 requests from 8 keep-alive connections to ` + "`/-/healthy`" + `
   and ` + "`/hello`" + `, one in 1000 of them a scrape of ` + "`/-/metrics`" + `. In the
   warm-up round each scrape is read with the Prometheus text parser and
   must hold the request metrics by route and the go_ and process_
   metrics the service promises, and anything a program prints at start
   or while serving is shown. Throughput as in section 2, all the
   programs side by side, pinned, in rounds.

## Where the time goes

Measured with perf, /proc and Go benchmarks on the machines of the tables
(Firecracker VMs with two CPUs, on 2026-11-22 and 2026-11-30). They differ:
on the second, a system call costs about 1 µs and a first touch of a page
of memory about 12 µs, several times more than on the first, and every
figure that starts processes or makes system calls moves with that.

- **Start-up and memory**: the Prometheus client (client_golang, with
  protobuf and procfs) doubled the binary (16.2 MB instead of 10.1) and
  made the service 1.6× the baseline's start-up and 1.8× its memory, by
  its package initialisation and the pages it touches.
  github.com/VictoriaMetrics/metrics was as cheap but logged a plain-text
  line at start where the cgroup has no pressure (PSI) files (v1.45.0
  prints nothing at start: section 6). The metrics
  component now writes the text format itself (internal/metrics; the
  Prometheus parser and linter check it in its tests only), and costs no
  more than ` + "`--without metrics`" + `, whose rows show the rest of the gap.
- **Requests per second**: each access-log line was its own write to
  stdout, a system call per request on top of the bare server's read and
  write: 0.64× to 0.72× from run to run. The service now logs through
  internal/logging's Stream: one goroutine writes the lines, and those
  logged while a write is under way go out together in the next one (wrk's
  load: about 20 lines a write, 1.05 writes per request against 2), with
  no timer and no size to wait for, and warnings and errors written before
  the call that logs them returns. BenchmarkAccessLine in the service:
  4.3 µs a line straight to a file, 1.35 µs through the Stream. What is
  left over the bare server, about 4.5 µs of CPU per request, is features
  the service promises: formatting the access line with slog (about
  1 µs), the timers of the read, write and idle timeouts (five timer
  changes and three clock readings), the request ID (crypto/rand, 0.1 µs),
  its context and the copy of the request that carries it, and the
  metrics (0.1 µs). The middleware makes 7 allocations per request
  (BenchmarkMiddleware).
- **twelve new**: its Go templates render gofmt-clean Go for any answers,
  so nothing is gofmt-ed at run time; templates are parsed on first use
  in one set, and JSON is decoded from the bytes read, so rendering the
  default tree allocates 0.7 MB (1.2 MB before). The process never
  collects garbage, so every byte it allocates is a page touched for the
  first time, which costs about 12 µs here. Read from /proc/self/stat
  between the steps of one run, on 2026-11-30: before main, about 330
  page faults (a Go program that only exits: 175), of which the package
  initialisation of encoding/gob (pulled in by go-git's gitignore, for
  ` + "`twelve check`" + `) takes 0.8 ms, mgutz/ansi (survey's colours) 0.5 ms and
  yaml 0.4 ms; loading the catalog, about 35 faults and 1 ms; rendering,
  about 250 faults and 4 to 5 ms (parse trees, template texts, output
  buffers); writing the 40 files and 15 directories, about 10 faults and
  2.5 to 4 ms, nearly all of it the kernel making inodes, the same work
  as cp -r: on this ext4, without a journal, every new inode is found
  past the recently deleted ones, so both vary with what else runs. The
  two rows under cookiecutter show the bound this puts on its ratio:
  ` + "`twelve version`" + ` alone, twelve starting and rendering nothing, is at
  about 20×, and a Go program that only exits at about 50×. Tried and
  measured without gain (medians of 60 to 80 interleaved runs): rendering
  on both CPUs (the rendering itself took 1 ms less, but starting the
  second thread took as much), writing on both CPUs, a lower GOGC (more
  page faults, not fewer: 870 to 970 against 700) and MADV_HUGEPAGE on
  the heap (no fewer faults).
`
