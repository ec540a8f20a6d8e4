// Command baseline is the floor that make bench measures the generated
// service against: a bare net/http server on HOST:PORT that answers the
// generated service's probes with static 200s and GET /hello?name=x with
// the same JSON, and does nothing else: no access log, request IDs,
// metrics, timeouts or graceful shutdown (SIGTERM kills it).
package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	probe := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/health+json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(`{"status":"pass","checks":{}}` + "\n"))
	}
	mux.HandleFunc("GET /-/healthy", probe)
	mux.HandleFunc("GET /-/ready", probe)
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			Message string `json:"message"`
		}{"hello, " + name})
	})
	addr := net.JoinHostPort(os.Getenv("HOST"), os.Getenv("PORT"))
	if err := http.ListenAndServe(addr, mux); err != nil {
		os.Stderr.WriteString("baseline: " + err.Error() + "\n")
		os.Exit(1)
	}
}
