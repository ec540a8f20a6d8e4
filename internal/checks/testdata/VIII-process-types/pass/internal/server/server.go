package server

import "net/http"

// Run serves h until the server fails.
func Run(srv *http.Server) error {
	return srv.ListenAndServe()
}
