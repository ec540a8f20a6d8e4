package main

import "example.com/mailer/internal/mail"

func main() {
	mail.Open("")
}
