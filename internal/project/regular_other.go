//go:build !unix

package project

// openFlags are none where the system has no non-blocking open (Windows,
// plan9, wasm): there the check before opening is the only defence, and a
// file swapped for a pipe between the check and the open is not caught
// until the check after it.
const openFlags = 0
