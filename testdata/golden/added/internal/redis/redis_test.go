package redis

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPrintingHidesThePassword(t *testing.T) {
	c := New("redis://:s3cret-pw@cache.internal:6379/0", time.Second)
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

// syncBuffer is a bytes.Buffer for logs that go-redis may write from its
// own goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	err := New("redis://:"+password+"@127.0.0.1:1/0", 500*time.Millisecond).Open(t.Context(), logger)
	if err == nil {
		t.Fatal("Open with nothing listening: no error")
	}
	if strings.Contains(err.Error(), password) || strings.Contains(logs.String(), password) {
		t.Errorf("the password leaked:\nerror: %v\nlogs: %s", err, logs.String())
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("Open: %v; want the server named", err)
	}
	for _, url := range []string{
		"http://nope",
		// The password in malformed URLs, which url.Parse quotes in part.
		"redis://:" + password,
		"redis://:" + password + "@127.0.0.1:notaport/0",
		"redis://:" + password + "@[::1/0",
		"redis://:" + password + "%zz@127.0.0.1/0",
		"redis://:" + password + "@127.0.0.1/0\x7f",
		"redis://:" + password + "@127.0.0.1/notadb",
	} {
		err := New(url, time.Second).Open(t.Context(), logger)
		if err == nil || !strings.Contains(err.Error(), "REDIS_URL") || strings.Contains(err.Error(), password) {
			t.Errorf("Open(%v): %v, want an error naming REDIS_URL without the password", New(url, 0), err)
		}
	}
}

func TestPingBeforeOpen(t *testing.T) {
	if err := New("redis://localhost:6379/0", time.Second).Ping(t.Context()); err == nil {
		t.Error("Ping before Open: no error")
	}
}

// TestRealRedis talks to the Redis named by TEST_REDIS_URL.
func TestRealRedis(t *testing.T) {
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		t.Skip("TEST_REDIS_URL is not set: set it to a Redis URL, e.g. redis://127.0.0.1:6379/0, to run this test")
	}
	c := New(url, 10*time.Second)
	if err := c.Open(t.Context(), slog.New(slog.NewTextHandler(t.Output(), nil))); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	key := "test:" + rand.Text() // tests may share the server
	if err := c.Redis().Set(t.Context(), key, "value", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Redis().Get(t.Context(), key).Result(); err != nil || got != "value" {
		t.Errorf("GET %s = %q, %v; want value", key, got, err)
	}
	if n, err := c.Redis().Del(t.Context(), key).Result(); err != nil || n != 1 {
		t.Errorf("DEL %s = %d, %v; want 1", key, n, err)
	}
	c.Close()
	if err := c.Ping(t.Context()); err == nil {
		t.Error("Ping after Close: no error")
	}

	// A database the server does not have is refused at once, with the
	// server's reason, rather than retried until the connect timeout.
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/99999"
	err = New(u.String(), 10*time.Second).Open(t.Context(), slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err == nil || !strings.Contains(err.Error(), "DB index is out of range") || strings.Contains(err.Error(), "attempts") {
		t.Errorf("Open with database 99999: %v; want the server's refusal, after one attempt", err)
	}
}
