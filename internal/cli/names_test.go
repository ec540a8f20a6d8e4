package cli

import (
	"strings"
	"testing"
)

// A service name is at most 63 bytes: a DNS label, as Kubernetes wants it.
func TestCheckNameLength(t *testing.T) {
	name := "s" + strings.Repeat("x", 62)
	if err := checkName(name); err != nil {
		t.Errorf("a 63-byte name: %v", err)
	}
	if err := checkName(name + "x"); err == nil || !strings.Contains(err.Error(), "at most 63 characters") {
		t.Errorf("a 64-byte name: %v, want it refused", err)
	}
}
