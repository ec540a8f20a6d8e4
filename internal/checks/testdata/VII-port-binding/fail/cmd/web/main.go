package main

import (
	"context"
	"flag"
	"os/signal"
	"syscall"

	"example.com/app/internal/web"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	web.Run(ctx, *addr)
}
