package store

import "database/sql"

// Open connects to the database.
func Open() (*sql.DB, error) {
	return sql.Open("pgx", "postgres://app@db.internal:5432/app?sslmode=disable")
}

// CacheAddr is the cache.
const CacheAddr = "localhost:6379"
