package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"example.com/myservice/internal/config"
	"example.com/myservice/internal/logging"
	"example.com/myservice/internal/secrets"
	"example.com/myservice/internal/server"
)

// Limits of the HTTP server, so that slow or greedy clients cannot hold
// connections and memory forever.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// service collects what the components add to the service: addComponents
// in components.go fills it.
type service struct {
	routes    []server.Route
	observers []server.Observer
	checks    []readiness // readiness checks, such as a ping of a database
	open      []opener    // run at once before serving: connect backing services
	close     []func()    // run after shutdown, last first, even if open failed
	started   []func()    // called once the server listens
	stopping  []func()    // called as soon as shutdown begins
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
	return fmt.Errorf("unknown command %q (run \"myservice help\" for the list)", name)
}

func configError(err error) error {
	return fmt.Errorf("bad environment (run \"myservice env\" for the variables):\n%w", err)
}

// serve serves HTTP until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, cfg config.Config, s *service, stdout io.Writer) error {
	level := new(slog.LevelVar)
	level.Set(cfg.Log.Level)
	// Log lines go out in the order they come, several to a write under
	// load; the last of them are written before serve returns.
	out := logging.NewStream(stdout)
	defer func() { _ = out.Close() }() // a failing stdout has nowhere to be reported
	logger := logging.New(out, cfg.Log.Format, level)

	defer func() {
		for i := len(s.close) - 1; i >= 0; i-- {
			s.close[i]()
		}
	}()
	if err := openAll(ctx, s.open, logger); err != nil {
		if ctx.Err() != nil {
			logger.Info("stopped before serving") // a signal while waiting for a backing service
			return nil
		}
		return err
	}

	deps := server.Deps{
		Logger:    logger,
		Level:     level,
		Version:   version,
		Routes:    s.routes,
		Observers: s.observers,
		Backing:   s.backing,
		App:       cfg.App,
	}
	// One listener serves every route, or, with an admin port, a second
	// one serves those under /-/ and the first all the others.
	handlers := []http.Handler{server.NewServer(deps)}
	addrs := []string{net.JoinHostPort(cfg.HTTP.Host, strconv.Itoa(cfg.HTTP.Port))}
	vars := []string{"HOST:PORT"} // named when the address cannot be listened on
	if cfg.Admin.Port != 0 {
		public, admin := server.NewPublicAndAdmin(deps)
		handlers = []http.Handler{public, admin}
		addrs = append(addrs, net.JoinHostPort(cfg.Admin.Host, strconv.Itoa(cfg.Admin.Port)))
		vars = append(vars, "ADMIN_HOST:ADMIN_PORT")
	}
	var servers []*http.Server
	var listeners []net.Listener
	for i, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range listeners {
				_ = l.Close() // the error that matters is err
			}
			return fmt.Errorf("%s: %w", vars[i], err)
		}
		listeners = append(listeners, ln)
		servers = append(servers, &http.Server{
			Handler:           handlers[i],
			ReadHeaderTimeout: readHeaderTimeout,
			ReadTimeout:       readTimeout,
			WriteTimeout:      writeTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    maxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		})
	}
	attrs := []any{"version", version, "address", listeners[0].Addr().String()}
	if len(listeners) > 1 {
		attrs = append(attrs, "admin_address", listeners[1].Addr().String())
	}
	logger.Info("serving", attrs...)
	served := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { served <- srv.Serve(listeners[i]) }()
	}
	for _, started := range s.started {
		started()
	}

	select {
	case err := <-served:
		for _, srv := range servers {
			_ = srv.Close() // the error that matters is err
		}
		return err
	case <-ctx.Done():
	}
	for _, stopping := range s.stopping {
		stopping() // readiness fails from now on
	}
	logger.Info("shutting down", "delay", cfg.Shutdown.Delay.String(), "timeout", cfg.Shutdown.Timeout.String())
	// Keep serving while load balancers notice that readiness fails.
	time.Sleep(cfg.Shutdown.Delay)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.Shutdown.Timeout)
	defer cancel()
	// Both listeners close at once; requests in flight on either finish.
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, srv := range servers {
		wg.Go(func() { errs[i] = srv.Shutdown(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("requests still in flight after SHUTDOWN_TIMEOUT=%s: %w", cfg.Shutdown.Timeout, err)
	}
	logger.Info("stopped")
	return nil
}

// openAll runs the open hooks at once, so that backing services are
// waited for together, and returns every error.
func openAll(ctx context.Context, open []opener, logger *slog.Logger) error {
	errs := make([]error, len(open))
	var wg sync.WaitGroup
	for i, o := range open {
		wg.Go(func() { errs[i] = o(ctx, logger) })
	}
	wg.Wait()
	return errors.Join(errs...)
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
	fmt.Fprint(stdout, "Usage: myservice [command]\n\nCommands:\n")
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
