package store

import (
	"cmp"
	"os"
)

// CacheAddr is the cache: REDIS_ADDR, or the one on this machine.
func CacheAddr() string {
	return cmp.Or(os.Getenv("REDIS_ADDR"), "localhost:6379")
}
