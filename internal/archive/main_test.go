package archive_test

// Defines -update, so that go test ./... -update runs in every package.
// The archive is never updated by a test: make archive adds to it.
import _ "github.com/twelvefactor/twelve/internal/golden"
