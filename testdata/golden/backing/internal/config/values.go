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

// Switch is a setting that is on or off, such as ACCESS_LOG.
type Switch bool

// errOnOff is the error of a Switch that is neither on nor off.
var errOnOff = errors.New("neither on nor off (use on or off)")

// UnmarshalText accepts on, off, true, false, 1 or 0.
func (s *Switch) UnmarshalText(text []byte) error {
	switch string(text) {
	case "on", "true", "1":
		*s = true
	case "off", "false", "0":
		*s = false
	default:
		return errOnOff
	}
	return nil
}
