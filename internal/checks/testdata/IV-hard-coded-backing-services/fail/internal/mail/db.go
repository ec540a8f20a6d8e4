package mail

import (
	"database/sql"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Open opens PostgreSQL when dsn is a postgres:// URL, and an SQLite file
// otherwise: the default.
func Open(dsn string) (*sql.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite", "mail.db")
}
