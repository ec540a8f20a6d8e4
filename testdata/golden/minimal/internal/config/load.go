package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"tiny/internal/secrets"
)

// Load reads the configuration from the variables listed by Variables,
// taking secrets from sec. It reports every problem at once, each naming
// its variable.
func Load(getenv func(string) string, sec secrets.Source) (Config, error) {
	environ := make(map[string]string)
	for _, v := range Variables() {
		// An empty variable counts as unset, so its default applies.
		if value := getenv(v.Name); value != "" && !v.Secret {
			environ[v.Name] = value
		}
	}
	var cfg Config
	err := parse(&cfg, environ, sec)
	if !validHost(cfg.HTTP.Host) {
		err = errors.Join(err, fmt.Errorf("HOST=%q: not an IP address or host name (e.g. 127.0.0.1, 0.0.0.0 or localhost)", cfg.HTTP.Host))
	}
	if cfg.HTTP.Port < 0 || cfg.HTTP.Port > 65535 {
		err = errors.Join(err, fmt.Errorf("PORT=\"%d\": not a valid port (0 to 65535)", cfg.HTTP.Port))
	}
	if !validHost(cfg.Admin.Host) {
		err = errors.Join(err, fmt.Errorf("ADMIN_HOST=%q: not an IP address or host name (e.g. 127.0.0.1)", cfg.Admin.Host))
	}
	if cfg.Admin.Port < 0 || cfg.Admin.Port > 65535 {
		err = errors.Join(err, fmt.Errorf("ADMIN_PORT=\"%d\": not a valid port (0 to 65535)", cfg.Admin.Port))
	} else if cfg.Admin.Port != 0 && cfg.Admin.Port == cfg.HTTP.Port {
		err = errors.Join(err, fmt.Errorf("ADMIN_PORT=\"%d\": the same as PORT (use another port, or 0 to serve /-/ on PORT)", cfg.Admin.Port))
	}
	if cfg.Log.Level < slog.LevelDebug || cfg.Log.Level > slog.LevelError {
		err = errors.Join(err, fmt.Errorf("LOG_LEVEL=%q: out of range (use debug, info, warn or error)", environ["LOG_LEVEL"]))
	}
	return cfg, err
}

// validHost reports whether host is an IP address or a host name.
func validHost(host string) bool {
	if net.ParseIP(host) != nil {
		return true
	}
	if host == "" || len(host) > 253 {
		return false
	}
	for _, r := range host {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// parse fills dst, a pointer to a struct of group structs, from environ
// and sec. Each group is parsed on its own, so that the field names in
// env's errors are unique and can be mapped back to their variables.
// Fields tagged `secret:"NAME"` are filled from sec, never from environ;
// a secret that is not set is an error.
func parse(dst any, environ map[string]string, sec secrets.Source) error {
	var errs []error
	groups := reflect.ValueOf(dst).Elem()
	for i := range groups.NumField() {
		group := groups.Field(i).Addr().Interface()
		if err := env.ParseWithOptions(group, env.Options{Environment: environ}); err != nil {
			errs = append(errs, describe(err, groups.Field(i).Type(), environ))
		}
		errs = append(errs, checkDurations(groups.Field(i).Type(), environ))
		errs = append(errs, lookupSecrets(groups.Field(i), sec))
	}
	return errors.Join(errs...)
}

// describe rewrites env's errors for one group so that each one names its
// variable and says what a valid value looks like.
func describe(err error, group reflect.Type, environ map[string]string) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	var errs []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if !errors.As(e, &pe) {
			errs = append(errs, e)
			continue
		}
		field, _ := group.FieldByName(pe.Name)
		name := field.Tag.Get("env")
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, environ[name], reason(pe)))
	}
	return errors.Join(errs...)
}

// reason says what is wrong with a value, by the type it should have.
func reason(pe env.ParseError) string {
	switch pe.Type {
	case reflect.TypeFor[slog.Level]():
		return "unknown level (use debug, info, warn or error)"
	case reflect.TypeFor[time.Duration]():
		return "not a valid duration (use e.g. 500ms, 5s or 1m)"
	}
	switch pe.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "not a valid integer"
	case reflect.Bool:
		return "not a valid boolean (use true or false)"
	case reflect.Float32, reflect.Float64:
		return "not a valid number"
	}
	return pe.Err.Error()
}

// checkDurations checks the durations set in environ for group: none may
// be negative, and a timeout (a variable named *_TIMEOUT) must be more
// than 0. A value that is no duration at all is describe's to report.
func checkDurations(group reflect.Type, environ map[string]string) error {
	var errs []error
	for i := range group.NumField() {
		name := group.Field(i).Tag.Get("env")
		d, err := time.ParseDuration(environ[name])
		switch {
		case group.Field(i).Type != reflect.TypeFor[time.Duration]() || err != nil:
		case strings.HasSuffix(name, "_TIMEOUT") && d <= 0:
			errs = append(errs, fmt.Errorf("%s=%q: must be more than 0 (e.g. 2s)", name, environ[name]))
		case d < 0:
			errs = append(errs, fmt.Errorf("%s=%q: must not be negative (0s or more)", name, environ[name]))
		}
	}
	return errors.Join(errs...)
}

// lookupSecrets fills the string fields of group tagged `secret:"NAME"`.
func lookupSecrets(group reflect.Value, sec secrets.Source) error {
	var errs []error
	for i := range group.NumField() {
		name := group.Type().Field(i).Tag.Get("secret")
		if name == "" {
			continue
		}
		value, ok, err := sec.Lookup(name)
		switch {
		case err != nil:
			errs = append(errs, err)
		case !ok:
			errs = append(errs, fmt.Errorf("%s: not set (set %s or %s_FILE)", name, name, name))
		default:
			group.Field(i).SetString(value)
		}
	}
	return errors.Join(errs...)
}

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
