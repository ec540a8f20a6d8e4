package store

import (
	"cmp"
	"os"
)

// CacheAddr is the cache: REDIS_ADDR, or production's.
func CacheAddr() string {
	return cmp.Or(os.Getenv("REDIS_ADDR"), "cache.prod.internal:6379")
}
