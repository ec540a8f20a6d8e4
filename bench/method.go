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
   before timing anything.
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

## What the misses are made of

Measured with perf and Go benchmarks on the machine of the table; see the
commits on the bench branch for the before and after.

- **Start-up and memory**: the Prometheus client (client_golang, with
  protobuf and procfs) doubled the binary (16.2 MB instead of 10.1) and
  made the service 1.6× the baseline's start-up and 1.8× its memory, by
  its package initialisation and the pages it touches.
  github.com/VictoriaMetrics/metrics was as cheap but logs a plain-text
  line at start where the cgroup has no pressure (PSI) files. The metrics
  component now writes the text format itself (internal/metrics; the
  Prometheus parser and linter check it in its tests only), and costs no
  more than ` + "`--without metrics`" + `, whose rows show the rest of the gap.
- **Requests per second**: the service does 3 to 4 µs more work per
  request than the bare server (about 12 µs against 9 on a quiet run),
  all of it features the service promises:
  - the JSON access-log line, about 1.1 µs to format (slog) and 0.5 µs
    to write (one write per line, unbuffered, as factor XI wants); the
    rows with ` + "`LOG_LEVEL=warn`" + ` turn it off and show what it costs in place,
    more than those two figures, as it also takes cache and GC time;
  - the timers of the read, write and idle timeouts, five timer changes
    and three clock readings per request (a clock reading takes 66 ns on
    this machine), about 1 µs in interleaved runs without them;
  - the request ID (0.2 µs, crypto/rand), its context and the copy of
    the request that carries it, and the metrics (0.1 µs).
  The middleware was cut from 13 allocations per request to 7 (one
  recorder and one deferred call for the log and the observers, header
  names in canonical form, one allocation for the request ID's context),
  which moved /-/healthy from 0.64× to about 0.70×. What remains sits at
  the goal: medians of 0.67× to 0.72× from run to run on this machine.
- **twelve new**: its Go templates render gofmt-clean Go for any answers,
  so nothing is gofmt-ed at run time (that was half its CPU). What is
  left: starting the process and its packages, about 2 ms (` + "`twelve version`" + `);
  loading the templates, 0.4 ms; rendering, 1.2 ms; the manifest, 0.2 ms;
  and writing the files, 1 to 2 ms, which is also most of what cp -r
  does: on this machine's ext4, without a journal, every new inode is
  found past the recently deleted ones, so both vary with what else runs.
`
