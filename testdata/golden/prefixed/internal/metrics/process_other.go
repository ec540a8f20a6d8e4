//go:build !linux

package metrics

// writeProcess leaves the process metrics out: they are read from /proc,
// which only Linux has.
func writeProcess(*exposition) {}
