package checks

// Defines -update, so that go test ./... -update runs in every package.
import _ "github.com/twelvefactor/twelve/internal/golden"
