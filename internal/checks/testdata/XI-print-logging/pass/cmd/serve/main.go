package main

import (
	"flag"
	"runtime/debug"
)

func main() {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	fs.Usage = func() { usage(fs) }
	debug.ReadBuildInfo()
}
