// Command app serves.
package main

import (
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
)

func main() {
	bi, _ := debug.ReadBuildInfo()
	_ = bi
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	go func() { <-c; os.Exit(0) }()
	http.ListenAndServe(":"+os.Getenv("PORT"), nil)
}
