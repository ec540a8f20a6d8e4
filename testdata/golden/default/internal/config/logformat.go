package config

import "errors"

// LogFormat is how log lines are written: human or json.
type LogFormat string

// The log formats.
const (
	LogHuman LogFormat = "human"
	LogJSON  LogFormat = "json"
)

// UnmarshalText accepts human or json.
func (f *LogFormat) UnmarshalText(text []byte) error {
	switch LogFormat(text) {
	case LogHuman, LogJSON:
		*f = LogFormat(text)
		return nil
	}
	return errors.New("unknown log format (use human or json)")
}
