package store

import (
	"database/sql"

	_ "modernc.org/sqlite"
)

// Open opens the mail store, a file beside the binary.
func Open() (*sql.DB, error) {
	return sql.Open("sqlite", "data/mail.db")
}
