// Package postgres attaches the service to PostgreSQL, a backing service
// named by DATABASE_URL: a pgx connection pool opened with bounded
// retries, a readiness check, and the schema migrations of migrations/.
//
// The URL holds a password: it is never logged, and every error of this
// package has it redacted.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"example.com/backend/internal/secrets"
)

// DB is a PostgreSQL connection pool. New makes it; Open connects it.
type DB struct {
	url     string
	timeout time.Duration
	pool    *pgxpool.Pool
}

// New returns a DB for the connection URL, not connected: it does no I/O,
// so that it costs nothing in commands that never use the database.
// Open retries connecting for at most connectTimeout.
func New(url string, connectTimeout time.Duration) *DB {
	return &DB{url: url, timeout: connectTimeout}
}

// String names the database with its URL redacted, so that printing a DB,
// in a log line or a panic, never shows the password.
func (db *DB) String() string {
	return "postgres " + secrets.Redact(db.url, db.url)
}

// GoString is String, for %#v.
func (db *DB) GoString() string { return db.String() }

// Open connects to the database, retrying with exponential backoff until
// it answers or the connect timeout is up. It logs each failed attempt,
// naming the server but never the password.
func (db *DB) Open(ctx context.Context, logger *slog.Logger) error {
	cfg, err := pgxpool.ParseConfig(db.url)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %s (use postgres://user:password@host:5432/db)", db.redact(err))
	}
	where := address(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres at %s: %s", where, db.redact(err))
	}
	ping := func(ctx context.Context) error {
		err := pool.Ping(ctx)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "28") || pgErr.Code == "3D000") {
			return permanent{err} // a wrong password or database: waiting will not help
		}
		return err
	}
	attempts, err := retry(ctx, db.timeout, ping, func(attempt int, wait time.Duration, err error) {
		logger.Warn("postgres not reachable yet", "server", where, "attempt", attempt, "retry_in", wait.String(), "error", db.redact(err))
	})
	if err != nil {
		pool.Close()
		if ctx.Err() != nil {
			return fmt.Errorf("postgres at %s: %w", where, ctx.Err()) // shutting down
		}
		if errors.As(err, new(permanent)) {
			return fmt.Errorf("postgres at %s: %s (check DATABASE_URL)", where, db.redact(err))
		}
		return fmt.Errorf("postgres at %s: no connection after %d attempts in %s (check DATABASE_URL, or raise DATABASE_CONNECT_TIMEOUT): %s", where, attempts, db.timeout, db.redact(err))
	}
	db.pool = pool
	logger.Info("connected to postgres", "server", where, "database", cfg.ConnConfig.Database, "attempts", attempts)
	return nil
}

// address names the server of cfg as host:port, or the socket directory.
func address(cfg *pgxpool.Config) string {
	host := cfg.ConnConfig.Host
	if strings.HasPrefix(host, "/") {
		return host
	}
	return net.JoinHostPort(host, strconv.Itoa(int(cfg.ConnConfig.Port)))
}

// Pool returns the connection pool, nil until Open succeeds.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers: the readiness check.
func (db *DB) Ping(ctx context.Context) error {
	if db.pool == nil {
		return errors.New("not connected")
	}
	if err := db.pool.Ping(ctx); err != nil {
		return errors.New(db.redact(err))
	}
	return nil
}

// Close closes the pool, if Open opened it.
func (db *DB) Close() {
	if db.pool != nil {
		db.pool.Close()
		db.pool = nil
	}
}

// Migrate applies, in order, the migrations in fsys that the database
// lacks, and logs each one. They are SQL files named like
// 00001_create_notes.sql, with goose's -- +goose Up and Down annotations.
// A session lock makes instances that migrate at once take turns.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS, logger *slog.Logger) error {
	if db.pool == nil {
		return errors.New("migrate: not connected")
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close()
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrate: %s", db.redact(err))
	}
	results, err := p.Up(ctx)
	var partial *goose.PartialError
	if errors.As(err, &partial) {
		results = partial.Applied
	}
	for _, r := range results {
		logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration.String())
	}
	if partial != nil && partial.Failed != nil {
		return fmt.Errorf("migrate: %s: %s (fix the file, then migrate again)", partial.Failed.Source.Path, db.redact(partial.Err))
	}
	if err != nil {
		return fmt.Errorf("migrate: %s", db.redact(err))
	}
	version, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %s", db.redact(err))
	}
	logger.Info("database up to date", "version", version, "applied", len(results))
	return nil
}

// redact returns the message of err with the URL and its password
// replaced, in case a driver quotes them.
func (db *DB) redact(err error) string {
	return secrets.RedactError(err, db.url)
}
