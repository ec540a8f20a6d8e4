// Command tool does one thing.
package main

import "os"

var version = "dev"

func main() {
	os.Stdout.WriteString(version + "\n")
}
