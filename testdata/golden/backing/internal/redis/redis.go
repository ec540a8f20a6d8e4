// Package redis attaches the service to Redis, a backing service named by
// REDIS_URL: a go-redis client opened with bounded retries and a
// readiness check.
//
// The URL may hold a password: it is never logged, and every error of this
// package has it redacted.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"example.com/backend/internal/secrets"
)

// Client is a Redis client. New makes it; Open connects it.
type Client struct {
	url     string
	timeout time.Duration
	rdb     *goredis.Client
}

// New returns a Client for the connection URL, not connected: it does no
// I/O, so that it costs nothing in commands that never use Redis. Open
// retries connecting for at most connectTimeout.
func New(url string, connectTimeout time.Duration) *Client {
	return &Client{url: url, timeout: connectTimeout}
}

// String names the server with its URL redacted, so that printing a
// Client, in a log line or a panic, never shows the password.
func (c *Client) String() string {
	return "redis " + secrets.Redact(c.url, c.url)
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Open connects to Redis, retrying with exponential backoff until it
// answers or the connect timeout is up. It logs each failed attempt,
// naming the server but never the password.
func (c *Client) Open(ctx context.Context, logger *slog.Logger) error {
	opts, err := goredis.ParseURL(c.url)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %s (use redis://:password@host:6379/0)", c.redact(err))
	}
	logOnce.Do(func() { goredis.SetLogger(printfLogger{logger, c.url}) })
	rdb := goredis.NewClient(opts)
	ping := func(ctx context.Context) error {
		err := rdb.Ping(ctx).Err()
		var reply goredis.Error // the server answered: a wrong password, database or setting
		if errors.As(err, &reply) && !goredis.IsLoadingError(err) && !goredis.IsTryAgainError(err) && !goredis.IsMasterDownError(err) &&
			!goredis.IsClusterDownError(err) && !goredis.IsMaxClientsError(err) && !goredis.HasErrorPrefix(err, "BUSY") {
			return permanent{err} // waiting will not help, unlike for a server still loading its data
		}
		return err
	}
	attempts, err := retry(ctx, c.timeout, ping, func(attempt int, wait time.Duration, err error) {
		logger.Warn("redis not reachable yet", "server", opts.Addr, "attempt", attempt, "retry_in", wait.String(), "error", c.redact(err))
	})
	if err != nil {
		_ = rdb.Close()
		if ctx.Err() != nil {
			return fmt.Errorf("redis at %s: %w", opts.Addr, ctx.Err()) // shutting down
		}
		if errors.As(err, new(permanent)) {
			return fmt.Errorf("redis at %s: %s (check REDIS_URL)", opts.Addr, c.redact(err))
		}
		return fmt.Errorf("redis at %s: no connection after %d attempts in %s (check REDIS_URL, or raise REDIS_CONNECT_TIMEOUT): %s", opts.Addr, attempts, c.timeout, c.redact(err))
	}
	c.rdb = rdb
	logger.Info("connected to redis", "server", opts.Addr, "db", opts.DB, "attempts", attempts)
	return nil
}

// logOnce routes go-redis's own log lines, such as failed dials, into the
// service's logger, so that stdout stays one structured record a line.
// go-redis keeps one logger per process: the first Open sets it.
var logOnce sync.Once

// printfLogger turns go-redis's Printf calls into warnings, redacted.
type printfLogger struct {
	logger *slog.Logger
	url    string
}

func (l printfLogger) Printf(ctx context.Context, format string, v ...any) {
	l.logger.WarnContext(ctx, "redis client", "message", secrets.Redact(fmt.Sprintf(format, v...), l.url))
}

// Redis returns the go-redis client, nil until Open succeeds.
func (c *Client) Redis() *goredis.Client { return c.rdb }

// Ping checks that Redis answers: the readiness check.
func (c *Client) Ping(ctx context.Context) error {
	if c.rdb == nil {
		return errors.New("not connected")
	}
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return errors.New(c.redact(err))
	}
	return nil
}

// Close closes the client, if Open opened it.
func (c *Client) Close() {
	if c.rdb != nil {
		_ = c.rdb.Close()
		c.rdb = nil
	}
}

func (c *Client) redact(err error) string { return secrets.RedactError(err, c.url) }

// permanent marks an error that no retry can cure, such as a wrong
// password.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retry calls try until it succeeds, fails for good (permanent), ctx is
// done or timeout is up before the next attempt, waiting 100ms, 200ms,
// 400ms and so on, at most 2s, between attempts; failed hears of each
// failure that is followed by another attempt. It returns the number of
// attempts and the last error of try.
func retry(ctx context.Context, timeout time.Duration, try func(context.Context) error, failed func(attempt int, wait time.Duration, err error)) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := 100 * time.Millisecond
	var last error
	for attempt := 1; ; attempt++ {
		err := try(ctx)
		if err == nil {
			return attempt, nil
		}
		if errors.As(err, new(permanent)) {
			return attempt, err
		}
		if last == nil || ctx.Err() == nil {
			last = err // keep the cause rather than the deadline that cut it short
		}
		if deadline, _ := ctx.Deadline(); ctx.Err() != nil || time.Until(deadline) < wait {
			return attempt, last // stopped, or no time left for another attempt
		}
		failed(attempt, wait, err)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return attempt, last
		case <-timer.C:
		}
		wait = min(2*wait, 2*time.Second)
	}
}
