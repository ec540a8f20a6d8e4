package redis

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	const raw = "postgres://app:s3cret-pw@db.internal:5432/app"
	tests := []struct{ msg, want string }{
		{"cannot parse " + raw, "cannot parse postgres://app:xxxxx@db.internal:5432/app"},
		{"password s3cret-pw was refused", "password xxxxx was refused"},
		{"dial tcp db.internal:5432: refused", "dial tcp db.internal:5432: refused"},
		{"failed to connect:\n\tfirst\n\tsecond", "failed to connect:; first; second"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.msg, raw); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
	// url.Parse refuses these URLs, yet their password must go.
	for _, bad := range []string{
		"postgres://app:s3cret-pw@db.internal:notaport/app",
		"redis://:s3cret-pw@cache.internal:6379/0\x7f",
	} {
		if got := redactURL("cannot parse "+bad+": s3cret-pw", bad); strings.Contains(got, "s3cret-pw") {
			t.Errorf("Redact of %q = %q, the password is still there", bad, got)
		}
	}
	if got := redactURL("no secret here", ""); got != "no secret here" {
		t.Errorf("Redact with no URL = %q", got)
	}
}

func TestRedactError(t *testing.T) {
	for _, raw := range []string{
		"redis://:s3cret-pw", // the port would be quoted
		"redis://:s3cret-pw@cache.internal:6379/0\x7f",
		"postgres://app:s3cret-pw%zz@db.internal/app",
	} {
		_, err := url.Parse(raw)
		if got := redactError(fmt.Errorf("redis: %w", err), raw); strings.Contains(got, "s3cret-pw") || !strings.HasPrefix(got, "not a valid URL: ") {
			t.Errorf("redactError(%v) = %q, want the reason without the password", err, got)
		}
	}
	err := errors.New("WRONGPASS s3cret-pw")
	if got := redactError(err, "redis://:s3cret-pw@cache.internal:6379/0"); got != "WRONGPASS xxxxx" {
		t.Errorf("redactError(%v) = %q", err, got)
	}
}
