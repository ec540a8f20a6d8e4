//go:build !linux && !windows

package cli

import "os"

// inputQueued cannot tell here; terminal tests wait for a pause instead.
func inputQueued(*os.File) (int, bool) { return 0, false }
