// Command tool does one thing.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	if bi, ok := debug.ReadBuildInfo(); ok {
		os.Stdout.WriteString(bi.Main.Version + "\n")
	}
}
