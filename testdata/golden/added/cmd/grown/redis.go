package main

import (
	"example.com/grown/internal/config"
	"example.com/grown/internal/redis"
)

// addRedis wires the redis component: a client connected before serving,
// checked by /-/ready.
func addRedis(cfg config.Config, s *service) error {
	rdb := redis.New(cfg.Redis.URL, cfg.Redis.ConnectTimeout)
	s.open = append(s.open, rdb.Open)
	s.close = append(s.close, rdb.Close)
	s.checks = append(s.checks, readiness{"redis", rdb.Ping})
	s.backing.Redis = rdb
	return nil
}
