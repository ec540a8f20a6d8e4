package main

import "example.com/mailer/internal/store"

func main() {
	store.Open()
}
