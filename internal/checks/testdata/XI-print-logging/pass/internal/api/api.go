package api

import (
	"fmt"
	"log/slog"
	"net/http"
)

// Hello greets.
func Hello(w http.ResponseWriter, r *http.Request) {
	slog.Info("hello", "path", r.URL.Path)
	fmt.Fprintln(w, "hello")
}
