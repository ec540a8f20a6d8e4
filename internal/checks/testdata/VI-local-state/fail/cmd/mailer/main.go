package main

import (
	"flag"

	"example.com/mailer/internal/store"
)

func main() {
	dir := flag.String("data-dir", "data/", "where the mail is kept")
	flag.Parse()
	store.Open(*dir)
}
