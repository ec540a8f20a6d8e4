// Command slogstdout is make bench's bare server with an access log as
// log/slog gives it: the standard library's JSON handler writing each
// request's line to stdout, one write per line.
package main

import (
	"log/slog"
	"os"

	"twelve.bench/variants/serve"
)

func main() {
	serve.Main(serve.Options{Log: slog.New(slog.NewJSONHandler(os.Stdout, nil))})
}
