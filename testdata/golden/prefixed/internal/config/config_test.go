package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/acme/billing/internal/secrets"
)

// getenv returns a fake environment holding vars.
func getenv(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// allSecrets holds a value for every secret variable, such as the URL of
// a component's database, so that only the variables under test are wrong.
func allSecrets() secrets.Fake {
	f := secrets.Fake{}
	for _, v := range Variables() {
		if v.Secret {
			f[v.Name] = "a secret"
		}
	}
	return f
}

func TestLoadDefaults(t *testing.T) {
	t.Setenv("PORT", "1234") // the process environment must not leak in
	cfg, err := Load(getenv(nil), allSecrets())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Host != "127.0.0.1" || cfg.HTTP.Port != 9090 {
		t.Errorf("HTTP = %+v, want 127.0.0.1:9090", cfg.HTTP)
	}
	if cfg.Log.Level != slog.LevelInfo || cfg.Log.Format != LogJSON {
		t.Errorf("Log = %+v, want info and json", cfg.Log)
	}
	if cfg.Shutdown.Delay != 5*time.Second || cfg.Shutdown.Timeout != 10*time.Second {
		t.Errorf("Shutdown = %+v, want 5s and 10s", cfg.Shutdown)
	}
}

func TestLoadValues(t *testing.T) {
	cfg, err := Load(getenv(map[string]string{
		"BILLING_HOST": "0.0.0.0", "PORT": "9000", "BILLING_LOG_LEVEL": "debug", "BILLING_LOG_FORMAT": "human", "BILLING_SHUTDOWN_DELAY": "0s",
	}), allSecrets())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Host != "0.0.0.0" || cfg.HTTP.Port != 9000 || cfg.Log.Level != slog.LevelDebug ||
		cfg.Log.Format != LogHuman || cfg.Shutdown.Delay != 0 {
		t.Errorf("Load() = %+v", cfg)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want []string // one error line each, in order
	}{
		{map[string]string{"PORT": "notaport"}, []string{`PORT="notaport": not a valid integer`}},
		{map[string]string{"PORT": "70000"}, []string{`PORT="70000": not a valid port (0 to 65535)`}},
		{map[string]string{"BILLING_LOG_LEVEL": "loud"}, []string{`BILLING_LOG_LEVEL="loud": unknown level (use debug, info, warn or error)`}},
		{map[string]string{"BILLING_LOG_FORMAT": "xml"}, []string{`BILLING_LOG_FORMAT="xml": unknown log format (use human or json)`}},
		{map[string]string{"BILLING_ACCESS_LOG": "maybe"}, []string{`BILLING_ACCESS_LOG="maybe": neither on nor off (use on or off)`}},
		{map[string]string{"BILLING_SHUTDOWN_TIMEOUT": "10"}, []string{`BILLING_SHUTDOWN_TIMEOUT="10": not a valid duration`}},
		{map[string]string{"BILLING_SHUTDOWN_TIMEOUT": "0"}, []string{`BILLING_SHUTDOWN_TIMEOUT="0": must be more than 0`}},
		{map[string]string{"BILLING_SHUTDOWN_DELAY": "-5s"}, []string{`BILLING_SHUTDOWN_DELAY="-5s": must not be negative`}},
		{map[string]string{"BILLING_LOG_LEVEL": "error+1000"}, []string{`BILLING_LOG_LEVEL="error+1000": out of range (use debug, info, warn or error)`}},
		{map[string]string{"BILLING_HOST": "bad:host"}, []string{`BILLING_HOST="bad:host": not an IP address or host name`}},
		{map[string]string{"BILLING_ADMIN_HOST": "a b"}, []string{`BILLING_ADMIN_HOST="a b": not an IP address or host name`}},
		{map[string]string{"PORT": "9000", "BILLING_ADMIN_PORT": "9000"}, []string{`BILLING_ADMIN_PORT="9000": the same as PORT`}},
		{ // all at once
			map[string]string{"PORT": "x", "BILLING_LOG_LEVEL": "loud", "BILLING_LOG_FORMAT": "xml", "BILLING_SHUTDOWN_DELAY": "soon"},
			[]string{`PORT="x"`, `BILLING_LOG_LEVEL="loud"`, `BILLING_LOG_FORMAT="xml"`, `BILLING_SHUTDOWN_DELAY="soon"`},
		},
		{ // all at once, in range
			map[string]string{"BILLING_HOST": "bad:host", "BILLING_ADMIN_PORT": "-1", "BILLING_LOG_LEVEL": "debug-4", "BILLING_SHUTDOWN_DELAY": "-1s", "BILLING_SHUTDOWN_TIMEOUT": "-1s"},
			[]string{`BILLING_SHUTDOWN_DELAY="-1s"`, `BILLING_SHUTDOWN_TIMEOUT="-1s"`, `BILLING_HOST="bad:host"`, `BILLING_ADMIN_PORT="-1"`, `BILLING_LOG_LEVEL="debug-4"`},
		},
	}
	for _, tt := range tests {
		_, err := Load(getenv(tt.env), allSecrets())
		if err == nil {
			t.Errorf("Load(%v) succeeded, want an error", tt.env)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("Load(%v) = %q, want %d errors", tt.env, err, len(tt.want))
			continue
		}
		for i, want := range tt.want {
			if !strings.HasPrefix(lines[i], want) {
				t.Errorf("Load(%v) error %d = %q, want it to start with %q", tt.env, i, lines[i], want)
			}
		}
	}
}

// withSecret is a group like the one a component such as postgres adds,
// or one in App: a secret next to an ordinary variable.
type withSecret struct {
	URL      string `secret:"DATABASE_URL"`
	MaxConns int    `env:"DATABASE_MAX_CONNS" envDefault:"4"`
}

func TestParseSecrets(t *testing.T) {
	var g withSecret
	// A value in the environment must never fill a secret.
	environ := map[string]string{"DATABASE_URL": "from-env", "URL": "from-env"}
	if err := parse([]any{&g}, getenv(environ), secrets.Fake{"DATABASE_URL": "postgres://db"}); err != nil {
		t.Fatal(err)
	}
	if g.URL != "postgres://db" || g.MaxConns != 4 {
		t.Errorf("parse() = %+v", g)
	}

	err := parse([]any{&withSecret{}}, getenv(map[string]string{"DATABASE_MAX_CONNS": "many"}), secrets.Fake{})
	want := "DATABASE_MAX_CONNS=\"many\": not a valid integer\nDATABASE_URL: not set (set DATABASE_URL or DATABASE_URL_FILE)"
	if err == nil || err.Error() != want {
		t.Errorf("parse() error = %v, want %q", err, want)
	}
}

// withDurations is a group like the one a component such as healthcheck
// adds: a timeout, which must be positive, and a delay, which may be 0.
type withDurations struct {
	Timeout time.Duration `env:"CHECK_TIMEOUT" envDefault:"2s"`
	Delay   time.Duration `env:"CHECK_DELAY" envDefault:"0s"`
}

func TestParseDurations(t *testing.T) {
	if err := parse([]any{&withDurations{}}, getenv(map[string]string{"CHECK_TIMEOUT": "1ms", "CHECK_DELAY": "0s"}), secrets.Fake{}); err != nil {
		t.Errorf("parse() = %v", err)
	}
	err := parse([]any{&withDurations{}}, getenv(map[string]string{"CHECK_TIMEOUT": "0", "CHECK_DELAY": "-5s"}), secrets.Fake{})
	want := "CHECK_DELAY=\"-5s\": must not be negative (0s or more)\nCHECK_TIMEOUT=\"0\": must be more than 0 (e.g. 2s)"
	if err == nil || err.Error() != want {
		t.Errorf("parse() error = %v, want %q", err, want)
	}
}

// TestVariables checks that Variables and the struct tags of Config list
// the same variables with the same defaults.
func TestVariables(t *testing.T) {
	fromTags := make(map[string]Variable)
	for _, group := range new(Config).groups() {
		params, err := env.GetFieldParams(group)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			fromTags[p.Key] = Variable{Name: p.Key, Default: p.DefaultValue}
		}
		params, err = env.GetFieldParamsWithOptions(group, secretOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			fromTags[p.Key] = Variable{Name: p.Key, Secret: true}
		}
	}
	vars := Variables()
	if len(vars) != len(fromTags) {
		t.Fatalf("Variables() has %d variables, Config has %d", len(vars), len(fromTags))
	}
	for _, v := range vars {
		if v.Description == "" {
			t.Errorf("%s has no description", v.Name)
		}
		v.Description = ""
		if v != fromTags[v.Name] {
			t.Errorf("Variables() has %+v, Config says %+v", v, fromTags[v.Name])
		}
	}
}
