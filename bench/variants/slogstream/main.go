//go:build generated

// Command slogstream is slogstdout with the generated service's
// asynchronous logging.Stream between the JSON handler and stdout: make
// bench copies internal/logging/stream.go from a fresh twelve new into
// generated/logging before building with -tags generated.
package main

import (
	"log/slog"
	"os"

	"twelve.bench/variants/generated/logging"
	"twelve.bench/variants/serve"
)

func main() {
	serve.Main(serve.Options{Log: slog.New(slog.NewJSONHandler(logging.NewStream(os.Stdout), nil))})
}
