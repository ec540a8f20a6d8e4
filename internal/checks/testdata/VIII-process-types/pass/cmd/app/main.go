// Command app serves until SIGTERM.
package main

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"example.com/app/internal/server"
)

func main() {
	if bi, ok := debug.ReadBuildInfo(); ok {
		os.Stderr.WriteString(bi.Main.Version + "\n")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv := &http.Server{Addr: ":" + os.Getenv("PORT")}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	server.Run(srv)
}
