package config

import "errors"

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
