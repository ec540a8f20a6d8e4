package project

import (
	"os"
	"testing"

	// Defines -update, so that go test ./... -update runs in every package.
	_ "github.com/twelvefactor/twelve/internal/golden"
	"github.com/twelvefactor/twelve/internal/scratch"
)

// TestMain keeps the tests' files in memory where it can: see package
// scratch.
func TestMain(m *testing.M) {
	done := scratch.Use()
	code := m.Run()
	done()
	os.Exit(code)
}
