package main

import (
	"flag"
	"fmt"
	"net/http"
)

// usage prints the help of the serve command: a CLI talks to its user.
func usage(fs *flag.FlagSet) {
	fmt.Println("usage: serve [-addr ADDR]")
	fs.PrintDefaults()
	_ = http.StatusOK
}
