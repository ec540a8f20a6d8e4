// Command grown is a web service configured only from its environment.
//
// Usage:
//
//	grown [serve]      serve HTTP on HOST:PORT (the default)
//	grown env          list the environment variables it reads
//	grown version      print the version
//	grown help         list every command
//
// It logs to stdout and stops cleanly on SIGTERM, SIGINT or SIGHUP:
// readiness fails at once, requests in flight finish, then it exits 0. A
// second signal makes it exit at once. SIGHUP, sent when a terminal closes
// and by some supervisors, stops it like SIGTERM: it reloads nothing, as
// its configuration is the environment it started with.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt, syscall.SIGHUP)
	go func() {
		<-signals
		cancel()
		<-signals
		fmt.Fprintln(os.Stderr, "grown: second signal, exiting at once")
		os.Exit(1)
	}()

	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "grown: %s\n", err)
		os.Exit(1)
	}
}
