package main

import (
	"context"
	"io"
	"net"
	"strconv"

	"example.com/grown/internal/config"
	"example.com/grown/internal/health"
)

// addHealthcheck wires the healthcheck component: GET /-/healthy, GET
// /-/ready, and the healthcheck command.
func addHealthcheck(cfg config.Config, s *service) error {
	// GET /-/ready runs s.checks as they are when it is probed, after every
	// component and addApp have added theirs.
	checks := func(yield func(string, func(context.Context) error) bool) {
		for _, c := range s.checks {
			if !yield(c.name, c.check) {
				return
			}
		}
	}
	h := health.New(cfg.Health.CheckTimeout, s.ready.Load, checks)
	s.handle("GET /-/healthy", h.Healthy())
	s.handle("GET /-/ready", h.Ready())
	s.commands = append(s.commands, command{
		name:    "healthcheck",
		summary: "exit 0 if the service on HOST:PORT (ADMIN_HOST:ADMIN_PORT if set) is healthy (for Docker's HEALTHCHECK)",
		run: func(ctx context.Context, args []string, stdout io.Writer) error {
			host, port := cfg.HTTP.Host, cfg.HTTP.Port
			if cfg.Admin.Port != 0 { // /-/ is served there
				host, port = cfg.Admin.Host, cfg.Admin.Port
			}
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "127.0.0.1"
			}
			url := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/-/healthy"
			return health.Probe(ctx, url)
		},
	})
	return nil
}
