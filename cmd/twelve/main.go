// Command twelve creates and grows twelve-factor web services in Go.
//
// Usage:
//
//	twelve new [NAME] [--module PATH] [--dir DIR] [--with C,...] [--without C,...]
//	           [--prefix P_] [--port N] [--answers FILE] [--no-input] [--dry-run]
//	twelve list
//	twelve version
//	twelve completion bash|zsh|fish|powershell
//
// `twelve new myservice` writes ./myservice: a Go web service configured only
// from the environment, logging to stdout, with health, readiness, version,
// metrics and log-level endpoints under /-/, graceful shutdown on SIGTERM,
// and run-app.sh, a Dockerfile, a Procfile, a systemd unit and a Makefile to
// run it the same way everywhere. Run `twelve help new` for the flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/twelvefactor/twelve/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; when
// empty, twelve reports the module version from its build info.
var version string

func main() {
	// The signals stay caught until the process exits: restoring their
	// default action first would let a late Ctrl-C kill a twelve that has
	// finished its work, with a status that says it did not.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	os.Exit(cli.Main(ctx, os.Args[1:], cli.System(), version))
}
