// Package secrets reads secret values such as passwords and connection URLs.
//
// A secret NAME comes either from the variable NAME or from the file named
// by NAME_FILE, the way Docker and Kubernetes secrets and systemd's
// LoadCredential= hand them over. Secret values are never logged and never
// appear in an error message: Redact and RedactError hide the password of
// a connection URL in messages that may quote it.
package secrets

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// Source looks up secrets by name. ok is false when the secret is not set.
type Source interface {
	Lookup(name string) (value string, ok bool, err error)
}

// Env reads secret NAME from the environment variable NAME, or from the
// file named by NAME_FILE. Setting both is an error.
type Env struct {
	Getenv func(string) string
}

// Lookup implements Source.
func (e Env) Lookup(name string) (string, bool, error) {
	value, path := e.Getenv(name), e.Getenv(name+"_FILE")
	switch {
	case value != "" && path != "":
		return "", false, fmt.Errorf("%s and %s_FILE are both set (use one)", name, name)
	case value != "":
		return value, true, nil
	case path != "":
		b, err := readFile(path)
		if err != nil {
			// The error names the path, never the content.
			return "", false, fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), true, nil
	}
	return "", false, nil
}

// maxFileSize bounds a secret file: a URL, a password or a key is far
// smaller.
const maxFileSize = 64 << 10

// readFile reads a regular file of at most maxFileSize bytes, through any
// links (Kubernetes mounts secrets as links, systemd credentials may be
// links). It refuses a device such as /dev/zero, which would be read
// without end, and a FIFO, which it opens without blocking (O_NONBLOCK,
// which changes nothing for a regular file) to find out what it is.
func readFile(path string) ([]byte, error) {
	// The operator names the file: reading it wherever it is is the point.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0) // #nosec G304 -- the path comes from NAME_FILE, set by the operator
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err == nil && len(b) > maxFileSize {
		err = fmt.Errorf("%s: larger than %d KiB", path, maxFileSize>>10)
	}
	return b, err
}

// Redact replaces in msg the connection URL rawURL and its password with
// their redacted forms, and joins its lines into one.
func Redact(msg, rawURL string) string {
	if rawURL == "" {
		return msg
	}
	redacted := "(the URL)"
	if u, err := url.Parse(rawURL); err == nil {
		redacted = u.Redacted()
	}
	msg = strings.ReplaceAll(msg, rawURL, redacted)
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\n\t", "; "), "\n", "; ") // one line
	if password := password(rawURL); password != "" {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
	}
	return msg
}

// password returns the password in rawURL, even in a URL that url.Parse
// refuses, such as one with a bad port.
func password(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		p, _ := u.User.Password()
		return p
	}
	_, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return ""
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 && !strings.Contains(rest[end:], "@") {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, p, _ := strings.Cut(rest[:at], ":")
	return p
}

// RedactError is Redact for the message of err. A URL that does not parse
// gives only the reason: url.Parse's error quotes the part it refuses, which
// may be the password (invalid port ":hunter2" after host).
func RedactError(err error, rawURL string) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Op == "parse" {
		reason, _, _ := strings.Cut(ue.Err.Error(), `"`)
		return "not a valid URL: " + strings.TrimSpace(reason)
	}
	return Redact(err.Error(), rawURL)
}

// Fake is a Source for tests: a map from names to values.
type Fake map[string]string

// Lookup implements Source.
func (f Fake) Lookup(name string) (string, bool, error) {
	v, ok := f[name]
	return v, ok, nil
}
