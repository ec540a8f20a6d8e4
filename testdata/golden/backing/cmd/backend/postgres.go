package main

import (
	"context"
	"io"
	"log/slog"

	"example.com/backend/internal/config"
	"example.com/backend/internal/logging"
	"example.com/backend/internal/postgres"
	"example.com/backend/migrations"
)

// addPostgres wires the postgres component: a pool connected before
// serving, checked by /-/ready, and the migrate command.
func addPostgres(cfg config.Config, s *service) error {
	db := postgres.New(cfg.Postgres.URL, cfg.Postgres.ConnectTimeout)
	s.open = append(s.open, db.Open)
	s.close = append(s.close, db.Close)
	s.checks = append(s.checks, readiness{"postgres", db.Ping})
	s.backing.Postgres = db
	s.commands = append(s.commands, command{
		name:    "migrate",
		summary: "apply the migrations in migrations/ that the database lacks, then exit",
		run: func(ctx context.Context, args []string, stdout io.Writer) error {
			level := new(slog.LevelVar)
			level.Set(cfg.Log.Level)
			logger := logging.New(stdout, cfg.Log.Format, level)
			if err := db.Open(ctx, logger); err != nil {
				return err
			}
			defer db.Close()
			return db.Migrate(ctx, migrations.FS, logger)
		},
	})
	return nil
}
