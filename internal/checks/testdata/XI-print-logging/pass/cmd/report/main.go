// Command report prints a report: printing is its job.
package main

import (
	"fmt"
	"runtime/debug"
)

func main() {
	bi, _ := debug.ReadBuildInfo()
	fmt.Println(bi.Main.Version)
}
