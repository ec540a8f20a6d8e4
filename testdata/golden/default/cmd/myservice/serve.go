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
	"time"

	"example.com/myservice/internal/config"
	"example.com/myservice/internal/logging"
	"example.com/myservice/internal/server"
)

// serve serves HTTP until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, cfg config.Config, s *service, stdout io.Writer) error {
	level := new(slog.LevelVar)
	level.Set(cfg.Log.Level)
	logger := logging.New(stdout, cfg.Log.Format, level)
	slog.SetDefault(logger) // the log package's lines too, such as a library's

	defer func() {
		for i := len(s.close) - 1; i >= 0; i-- {
			s.close[i]()
		}
	}()
	// The open hooks run at once, so that backing services are waited for
	// together, and the first to fail, such as on a malformed URL, stops
	// the others: the service exits at once, with that error.
	opening, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var wg sync.WaitGroup
	for _, open := range s.open {
		wg.Go(func() {
			if err := open(opening, logger); err != nil {
				stop(err)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(opening); err != nil {
		if ctx.Err() != nil {
			logger.Info("stopped before serving") // a signal while waiting for a backing service
			return nil
		}
		return err
	}

	deps := server.Deps{
		Logger:    logger,
		Level:     level,
		AccessLog: bool(cfg.Log.Access),
		Version:   version,
		Routes:    s.routes,
		Observers: s.observers,
		Backing:   s.backing,
		App:       cfg.App,
	}
	// One listener serves every route, or, with an admin port, a second
	// one serves those under /-/ and the first all the others.
	var servers []*http.Server
	if cfg.Admin.Port == 0 {
		servers = []*http.Server{newHTTPServer(cfg.HTTP.Host, cfg.HTTP.Port, server.NewServer(deps), logger)}
	} else {
		public, admin := server.NewPublicAndAdmin(deps)
		servers = []*http.Server{
			newHTTPServer(cfg.HTTP.Host, cfg.HTTP.Port, public, logger),
			newHTTPServer(cfg.Admin.Host, cfg.Admin.Port, admin, logger),
		}
	}
	vars := []string{"HOST:PORT", "ADMIN_HOST:ADMIN_PORT"} // named when an address cannot be listened on
	var listeners []net.Listener
	for i, srv := range servers {
		ln, err := net.Listen("tcp", srv.Addr)
		if err != nil {
			for _, l := range listeners {
				_ = l.Close() // the error that matters is err
			}
			return fmt.Errorf("%s: %w", vars[i], err)
		}
		listeners = append(listeners, ln)
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
	s.ready.Store(true)

	select {
	case err := <-served:
		for _, srv := range servers {
			_ = srv.Close() // the error that matters is err
		}
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false) // readiness fails from now on
	logger.Info("shutting down", "delay", cfg.Shutdown.Delay.String(), "timeout", cfg.Shutdown.Timeout.String())
	// Keep serving while load balancers notice that readiness fails.
	time.Sleep(cfg.Shutdown.Delay)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.Shutdown.Timeout)
	defer cancel()
	// Both listeners close at once; requests in flight on either finish.
	errs := make([]error, len(servers))
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

// newHTTPServer returns a server of h on host:port with limits, so that
// slow or greedy clients cannot hold connections and memory forever.
func newHTTPServer(host string, port int, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              net.JoinHostPort(host, strconv.Itoa(port)),
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
