package store

import (
	"database/sql"
	"os"
)

// Config is read from the environment.
type Config struct {
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://localhost:5432/app"`
}

// Open connects to the database named by DATABASE_URL.
func Open() (*sql.DB, error) {
	return sql.Open("pgx", os.Getenv("DATABASE_URL"))
}

// Local is a file, not a service.
const Local = "sqlite:///var/lib/app/cache.db"
