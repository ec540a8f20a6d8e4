// Package secrets reads secret values such as passwords and connection URLs.
//
// A secret NAME comes either from the variable NAME or from the file named
// by NAME_FILE, the way Docker and Kubernetes secrets and systemd's
// LoadCredential= hand them over. Secret values are never logged and never
// appear in an error message.
package secrets

import (
	"fmt"
	"os"
	"strings"
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
		// The operator names the file: reading it wherever it is is the point.
		b, err := os.ReadFile(path) // #nosec G304 -- the path comes from NAME_FILE, set by the operator
		if err != nil {
			// The error from os.ReadFile names the path, never the content.
			return "", false, fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), true, nil
	}
	return "", false, nil
}

// Fake is a Source for tests: a map from names to values.
type Fake map[string]string

// Lookup implements Source.
func (f Fake) Lookup(name string) (string, bool, error) {
	v, ok := f[name]
	return v, ok, nil
}
