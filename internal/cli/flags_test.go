package cli_test

import "flag"

// update rewrites golden files and scripts' expected output instead of
// comparing with them: go test ./... -update.
var update = flag.Bool("update", false, "rewrite golden files")
