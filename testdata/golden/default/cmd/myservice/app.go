package main

import "example.com/myservice/internal/config"

// addApp is yours: it adds to s what your service needs beyond what its
// components add, after them and before every command. twelve merges its
// changes into this file and keeps yours, as in routes.go. For example, a
// readiness check, which GET /-/ready runs (with the healthcheck
// component):
//
//	s.checks = append(s.checks, readiness{name: "upstream", check: pingUpstream})
//
// or a one-off admin command, "myservice greet", with the same configuration:
//
//	s.commands = append(s.commands, command{
//		name:    "greet",
//		summary: "print the greeting",
//		run: func(ctx context.Context, args []string, stdout io.Writer) error {
//			_, err := fmt.Fprintln(stdout, cfg.App.Greeting)
//			return err
//		},
//	})
func addApp(cfg config.Config, s *service) error {
	return nil
}
