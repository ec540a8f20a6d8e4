package api

import (
	"fmt"
	"net/http"
)

// Hello greets.
func Hello(w http.ResponseWriter, r *http.Request) {
	fmt.Println("hello from", r.URL.Path)
	println("debug")
	fmt.Fprintln(w, "hello")
}
