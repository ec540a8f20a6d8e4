package secrets

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "db-url")
	if err := os.WriteFile(file, []byte("postgres://u:hunter2@db/app\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	link := filepath.Join(dir, "link") // as Kubernetes mounts a secret
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, 64<<10+1), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantOK  bool
		wantErr []string // substrings of the error
	}{
		{name: "unset"},
		{name: "variable", env: map[string]string{"DB_URL": "postgres://x"}, want: "postgres://x", wantOK: true},
		{name: "file", env: map[string]string{"DB_URL_FILE": file}, want: "postgres://u:hunter2@db/app", wantOK: true},
		{name: "both", env: map[string]string{"DB_URL": "x", "DB_URL_FILE": file}, wantErr: []string{"DB_URL and DB_URL_FILE"}},
		{name: "unreadable", env: map[string]string{"DB_URL_FILE": missing}, wantErr: []string{"DB_URL_FILE", missing}},
		{name: "link", env: map[string]string{"DB_URL_FILE": link}, want: "postgres://u:hunter2@db/app", wantOK: true},
		{name: "too big", env: map[string]string{"DB_URL_FILE": big}, wantErr: []string{"DB_URL_FILE", "larger than 64 KiB"}},
		{name: "directory", env: map[string]string{"DB_URL_FILE": dir}, wantErr: []string{"DB_URL_FILE", "not a regular file"}},
		{name: "device", env: map[string]string{"DB_URL_FILE": os.DevNull}, wantErr: []string{"DB_URL_FILE", "not a regular file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := Env{Getenv: func(k string) string { return tt.env[k] }}.Lookup("DB_URL")
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Lookup() = %.40q, want an error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil || got != tt.want || ok != tt.wantOK {
				t.Errorf("Lookup() = %q, %v, %v; want %q, %v, nil", got, ok, err, tt.want, tt.wantOK)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	const raw = "postgres://app:s3cret-pw@db.internal:5432/app"
	tests := []struct{ msg, want string }{
		{"cannot parse " + raw, "cannot parse postgres://app:xxxxx@db.internal:5432/app"},
		{"password s3cret-pw was refused", "password xxxxx was refused"},
		{"dial tcp db.internal:5432: refused", "dial tcp db.internal:5432: refused"},
		{"failed to connect:\n\tfirst\n\tsecond", "failed to connect:; first; second"},
	}
	for _, tt := range tests {
		if got := Redact(tt.msg, raw); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
	// url.Parse refuses these URLs, yet their password must go.
	for _, bad := range []string{
		"postgres://app:s3cret-pw@db.internal:notaport/app",
		"redis://:s3cret-pw@cache.internal:6379/0\x7f",
	} {
		if got := Redact("cannot parse "+bad+": s3cret-pw", bad); strings.Contains(got, "s3cret-pw") {
			t.Errorf("Redact of %q = %q, the password is still there", bad, got)
		}
	}
	if got := Redact("no secret here", ""); got != "no secret here" {
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
		if got := RedactError(fmt.Errorf("redis: %w", err), raw); strings.Contains(got, "s3cret-pw") || !strings.HasPrefix(got, "not a valid URL: ") {
			t.Errorf("RedactError(%v) = %q, want the reason without the password", err, got)
		}
	}
	err := errors.New("WRONGPASS s3cret-pw")
	if got := RedactError(err, "redis://:s3cret-pw@cache.internal:6379/0"); got != "WRONGPASS xxxxx" {
		t.Errorf("RedactError(%v) = %q", err, got)
	}
}

func TestFake(t *testing.T) {
	f := Fake{"TOKEN": "t"}
	if v, ok, err := f.Lookup("TOKEN"); v != "t" || !ok || err != nil {
		t.Errorf("Lookup(TOKEN) = %q, %v, %v", v, ok, err)
	}
	if _, ok, _ := f.Lookup("OTHER"); ok {
		t.Error("Lookup(OTHER) found a value")
	}
}
