package web

import (
	"net"
	"net/http"
	"os"
)

// Serve serves on the port of the environment.
func Serve(h http.Handler) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(os.Getenv("HOST"), os.Getenv("PORT")))
	if err != nil {
		return err
	}
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	probe.Close()
	return http.Serve(ln, h)
}
