// Command app serves.
package main

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	bi, _ := debug.ReadBuildInfo()
	_ = bi
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv := &http.Server{Addr: ":" + os.Getenv("PORT")}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	srv.ListenAndServe()
}
