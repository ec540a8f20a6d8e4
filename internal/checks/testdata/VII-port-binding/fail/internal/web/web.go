package web

import (
	"net"
	"net/http"
)

// Serve serves on fixed ports.
func Serve(h http.Handler) error {
	go http.ListenAndServe(":8080", h)
	ln, err := net.Listen("tcp", "0.0.0.0:9090")
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: "localhost:8443", Handler: h}
	go srv.ListenAndServeTLS("cert.pem", "key.pem")
	return http.Serve(ln, h)
}
