package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"text/tabwriter"

	"tiny/internal/config"
	"tiny/internal/secrets"
	"tiny/internal/server"
)

// service collects what the components add to the service: addComponents
// in components.go fills it.
type service struct {
	routes    []server.Route
	observers []server.Observer
	checks    []readiness // readiness checks, such as a ping of a database
	ready     atomic.Bool // from listening until shutdown begins
	open      []opener    // run at once before serving: connect backing services
	close     []func()    // run after shutdown, last first, even if open failed
	commands  []command
	backing   server.Backing // the clients of backing services, for handlers
}

// readiness is a named check that /-/ready runs: the service gets traffic
// only while every check passes.
type readiness struct {
	name  string
	check func(ctx context.Context) error
}

// opener connects to a backing service, retrying for a bounded time.
type opener func(ctx context.Context, logger *slog.Logger) error

// command is a subcommand added by a component, such as healthcheck.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout io.Writer) error
}

// handle adds a route, such as "GET /-/metrics".
func (s *service) handle(pattern string, h http.Handler) {
	s.routes = append(s.routes, server.Route{Pattern: pattern, Handler: h})
}

// run runs the command named by args[1], serve by default.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 1 {
		name = args[1]
	}
	switch name {
	case "serve", "env", "version", "--version", "help", "-h", "--help":
		if len(args) > 2 { // a component's command may take arguments; these do not
			return fmt.Errorf("%s takes no arguments, not %q (run \"tiny help\" for the commands)", name, args[2])
		}
	}
	switch name {
	case "version", "--version":
		_, err := fmt.Fprintln(stdout, version)
		return err
	case "env":
		return printEnv(stdout)
	}

	cfg, cfgErr := config.Load(getenv, secrets.Env{Getenv: getenv})
	var s service
	if err := addComponents(cfg, &s); err != nil {
		return err
	}
	switch name {
	case "help", "-h", "--help":
		return usage(stdout, s.commands) // even when the configuration is bad
	case "serve":
		if cfgErr != nil {
			return configError(cfgErr)
		}
		return serve(ctx, cfg, &s, stdout)
	}
	for _, c := range s.commands {
		if c.name == name {
			if cfgErr != nil {
				return configError(cfgErr)
			}
			return c.run(ctx, args[2:], stdout)
		}
	}
	return fmt.Errorf("unknown command %q (run \"tiny help\" for the list)", name)
}

func configError(err error) error {
	return fmt.Errorf("bad environment (run \"tiny env\" for the variables):\n%w", err)
}

// printEnv lists every variable with its default and description.
func printEnv(stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDEFAULT\tDESCRIPTION")
	for _, v := range config.Variables() {
		def := v.Default
		if v.Secret {
			def = "(secret, or " + v.Name + "_FILE)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, def, v.Description)
	}
	return tw.Flush()
}

// usage lists the commands, the components' ones included.
func usage(stdout io.Writer, commands []command) error {
	fmt.Fprint(stdout, "Usage: tiny [command]\n\nCommands:\n")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  serve\tserve HTTP on HOST:PORT (the default)")
	fmt.Fprintln(tw, "  env\tlist the environment variables, their defaults and meaning")
	fmt.Fprintln(tw, "  version\tprint the version")
	fmt.Fprintln(tw, "  help\tshow this help")
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	return tw.Flush()
}
