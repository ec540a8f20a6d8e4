package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"example.com/backend/internal/postgres/postgrestest"
)

func TestPrintingHidesThePassword(t *testing.T) {
	c := New("postgres://app:s3cret-pw@db.internal:5432/app", time.Second)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, c); strings.Contains(got, "s3cret-pw") || !strings.Contains(got, "internal") {
			t.Errorf("Sprintf(%q) = %q, want the server without the password", format, got)
		}
	}
}

func TestRetryBacksOffAndGivesUp(t *testing.T) {
	cause := errors.New("connection refused")
	var waits []time.Duration
	begin := time.Now()
	attempts, err := retry(t.Context(), 700*time.Millisecond, func(context.Context) error { return cause },
		func(attempt int, wait time.Duration, err error) { waits = append(waits, wait) })
	if elapsed := time.Since(begin); elapsed > 2*time.Second {
		t.Errorf("retry took %s, want about its 700ms timeout", elapsed)
	}
	if !errors.Is(err, cause) {
		t.Errorf("retry = %v, want the last error of the attempts", err)
	}
	if attempts < 3 || len(waits) != attempts-1 {
		t.Fatalf("%d attempts, %d waits: want at least 3 attempts and a wait between each", attempts, len(waits))
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			t.Errorf("waits %v: want each twice the one before", waits)
		}
	}
}

func TestRetryStopsAtSuccess(t *testing.T) {
	calls := 0
	attempts, err := retry(t.Context(), 5*time.Second, func(context.Context) error {
		if calls++; calls < 3 {
			return errors.New("not yet")
		}
		return nil
	}, func(int, time.Duration, error) {})
	if err != nil || attempts != 3 || calls != 3 {
		t.Errorf("retry = %d, %v after %d calls; want 3 attempts and no error", attempts, err, calls)
	}
}

// A retry stopped while trying, by a signal or by another backing
// service that failed, gives up without announcing another attempt.
func TestRetryStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	attempts, err := retry(ctx, 5*time.Second, func(context.Context) error { cancel(); return errors.New("refused") },
		func(int, time.Duration, error) { t.Error("a wait announced after the cancellation") })
	if attempts != 1 || err == nil {
		t.Errorf("retry = %d, %v; want 1 attempt and its error", attempts, err)
	}
}

func TestRetryStopsAtAPermanentError(t *testing.T) {
	cause := permanent{errors.New("password authentication failed")}
	calls := 0
	attempts, err := retry(t.Context(), 5*time.Second, func(context.Context) error { calls++; return cause },
		func(int, time.Duration, error) { t.Error("a wait after a permanent error") })
	if attempts != 1 || calls != 1 || !errors.Is(err, cause.error) {
		t.Errorf("retry = %d, %v after %d calls; want 1 attempt and the error", attempts, err, calls)
	}
}

func TestOpenFailsNamingTheServerNotThePassword(t *testing.T) {
	const password = "s3cret-pw"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	for _, url := range []string{
		"postgres://app:" + password + "@127.0.0.1:1/app?sslmode=disable", // nothing listens on port 1
		// Malformed: the driver or url.Parse may quote any part of them.
		"postgres://app:" + password + "@127.0.0.1:notaport/app",
		"postgres://app:" + password,
		"postgres://app:" + password + "@[::1/app",
		"postgres://app:" + password + "%zz@127.0.0.1/app",
		"postgres://app:" + password + "@127.0.0.1/app?sslmode=bogus",
		"host=127.0.0.1 password=" + password + " port=notaport",
	} {
		err := New(url, 500*time.Millisecond).Open(t.Context(), logger)
		if err == nil {
			t.Fatalf("Open(%v): no error", New(url, 0))
		}
		if strings.Contains(err.Error(), password) || strings.Contains(logs.String(), password) {
			t.Errorf("the password leaked:\nerror: %v\nlogs: %s", err, &logs)
		}
		if !strings.Contains(err.Error(), "127.0.0.1:1") && !strings.Contains(err.Error(), "DATABASE_URL") {
			t.Errorf("Open: %v; want the server or the variable named", err)
		}
	}
}

func TestPingBeforeOpen(t *testing.T) {
	if err := New("postgres://localhost/app", time.Second).Ping(t.Context()); err == nil {
		t.Error("Ping before Open: no error")
	}
}

// open connects to a fresh schema of TEST_DATABASE_URL.
func open(t *testing.T) *DB {
	t.Helper()
	db := New(postgrestest.URL(t), 10*time.Second)
	if err := db.Open(t.Context(), slog.New(slog.NewTextHandler(t.Output(), nil))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func TestOpenPingClose(t *testing.T) {
	db := open(t)
	if err := db.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	db.Close()
	if err := db.Ping(t.Context()); err == nil {
		t.Error("Ping after Close: no error")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := open(t)
	fsys := fstest.MapFS{
		"00001_a.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n")},
		"00002_b.sql": {Data: []byte("-- +goose Up\nINSERT INTO a VALUES (1);\n-- +goose Down\nDELETE FROM a;\n")},
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	for range 2 {
		if err := db.Migrate(t.Context(), fsys, logger); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
	if n := strings.Count(logs.String(), `"msg":"migration applied"`); n != 2 {
		t.Errorf("%d migrations applied over two runs, want 2 in the first and none in the second:\n%s", n, &logs)
	}
	var rows int
	if err := db.Pool().QueryRow(t.Context(), "SELECT count(*) FROM a").Scan(&rows); err != nil || rows != 1 {
		t.Errorf("table a: %d rows, %v; want the one row of 00002_b.sql", rows, err)
	}
}

func TestMigrateReportsABadMigration(t *testing.T) {
	db := open(t)
	fsys := fstest.MapFS{"00001_bad.sql": {Data: []byte("-- +goose Up\nCREATE TABLE;\n")}}
	err := db.Migrate(t.Context(), fsys, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err == nil || !strings.Contains(err.Error(), "00001_bad.sql") {
		t.Errorf("Migrate of bad SQL: %v, want an error naming the file", err)
	}
}
