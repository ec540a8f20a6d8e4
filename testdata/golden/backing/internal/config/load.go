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

	"example.com/backend/internal/secrets"
)

// Load reads the configuration, twelve's groups and your App, from
// getenv, taking secrets from sec. It reports every problem at once, each
// naming its variable.
func Load(getenv func(string) string, sec secrets.Source) (Config, error) {
	var cfg Config
	err := parse(cfg.groups(), getenv, sec)
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
		err = errors.Join(err, fmt.Errorf("LOG_LEVEL=%q: out of range (use debug, info, warn or error)", getenv("LOG_LEVEL")))
	}
	return cfg, err
}

// hostChars are the characters of a host name.
const hostChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."

// validHost reports whether host is an IP address or a host name.
func validHost(host string) bool {
	return net.ParseIP(host) != nil || host != "" && len(host) <= 253 && strings.Trim(host, hostChars) == ""
}

// parse fills each group, a pointer to a struct, with the env library:
// a field tagged `env:"NAME"` from the variable NAME (empty counts as
// unset, so that envDefault applies), one tagged `secret:"NAME"` from sec
// (NAME or NAME_FILE), which must have it. Each group is parsed on its
// own, so that the field a library error names is unique in it.
func parse(groups []any, getenv func(string) string, sec secrets.Source) error {
	var errs []error
	for _, group := range groups {
		vars, err := env.GetFieldParams(group)
		if err != nil {
			return err // a tag env does not know: the code is wrong, not the environment
		}
		environ := make(map[string]string)
		for _, v := range vars {
			environ[v.Key] = getenv(v.Key)
		}
		err = env.ParseWithOptions(group, env.Options{Environment: environ, FuncMap: durations})
		errs = append(errs, describe(err, group, environ), checkTimeouts(vars, environ))

		secretVars, err := env.GetFieldParamsWithOptions(group, secretOptions)
		if err != nil {
			return err
		}
		found := make(map[string]string)
		for _, v := range secretVars {
			value, ok, err := sec.Lookup(v.Key)
			if ok || err != nil { // an error is reported here, not again as "not set"
				found[v.Key] = value
			}
			errs = append(errs, err)
		}
		opts := secretOptions
		opts.Environment = found
		errs = append(errs, describe(env.ParseWithOptions(group, opts), group, found))
	}
	return errors.Join(errs...)
}

// secretOptions make env read the fields tagged `secret:"NAME"`, each
// required, with no default (no field has a secretDefault tag).
var secretOptions = env.Options{TagName: "secret", DefaultValueTagName: "secretDefault", RequiredIfNoDef: true}

// errNegative is the error of a negative duration.
var errNegative = errors.New("must not be negative (0s or more)")

// durations parses every time.Duration, refusing a negative one.
var durations = map[reflect.Type]env.ParserFunc{
	reflect.TypeFor[time.Duration](): func(value string) (any, error) {
		d, err := time.ParseDuration(value)
		if err == nil && d < 0 {
			err = errNegative
		}
		return d, err
	},
}

// describe rewrites env's errors for group so that each one names its
// variable and says what a valid value looks like.
func describe(err error, group any, environ map[string]string) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	var errs []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		var unset env.VarIsNotSetError
		switch {
		case errors.As(e, &unset):
			errs = append(errs, fmt.Errorf("%s: not set (set %s or %s_FILE)", unset.Key, unset.Key, unset.Key))
		case errors.As(e, &pe):
			// env names the field, not its variable: find the field's tag.
			field, _ := reflect.TypeOf(group).Elem().FieldByName(pe.Name)
			name := field.Tag.Get("env")
			errs = append(errs, fmt.Errorf("%s=%q: %s", name, environ[name], reason(pe)))
		default:
			errs = append(errs, e)
		}
	}
	return errors.Join(errs...)
}

// reason says what is wrong with a value, by the type it should have.
func reason(pe env.ParseError) string {
	switch {
	case errors.Is(pe.Err, errNegative), errors.Is(pe.Err, errOnOff):
		return pe.Err.Error()
	case pe.Type == reflect.TypeFor[slog.Level]():
		return "unknown level (use debug, info, warn or error)"
	case pe.Type == reflect.TypeFor[time.Duration]():
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

// checkTimeouts refuses a timeout, a variable named *_TIMEOUT, set to 0:
// nothing could finish in time. A negative one is refused as every
// negative duration is.
func checkTimeouts(vars []env.FieldParams, environ map[string]string) error {
	var errs []error
	for _, v := range vars {
		d, err := time.ParseDuration(environ[v.Key])
		if err == nil && d == 0 && strings.HasSuffix(v.Key, "_TIMEOUT") {
			errs = append(errs, fmt.Errorf("%s=%q: must be more than 0 (e.g. 2s)", v.Key, environ[v.Key]))
		}
	}
	return errors.Join(errs...)
}

// appVariables lists the variables of App, from its tags: those it reads,
// then its secrets.
func appVariables() []Variable {
	const yours = "yours: internal/config/app.go"
	var vars []Variable
	params, _ := env.GetFieldParams(&App{}) // a bad tag is Load's to report
	for _, p := range params {
		vars = append(vars, Variable{Name: p.Key, Default: p.DefaultValue, Description: yours})
	}
	params, _ = env.GetFieldParamsWithOptions(&App{}, secretOptions)
	for _, p := range params {
		vars = append(vars, Variable{Name: p.Key, Description: yours, Secret: true})
	}
	return vars
}
