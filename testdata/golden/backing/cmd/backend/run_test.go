package main

import (
	"bytes"
	"strings"
	"testing"

	"example.com/backend/internal/config"
)

// fakeEnv returns a getenv reading from vars.
func fakeEnv(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// runCommand runs the service with args and an empty environment but vars.
func runCommand(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), append([]string{"backend"}, args...), fakeEnv(vars), &stdout, &stderr)
	return stdout.String(), err
}

func TestEnv(t *testing.T) {
	out, err := runCommand(t, nil, "env")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Variables() {
		if !strings.Contains(out, v.Name) {
			t.Errorf("env does not list %s:\n%s", v.Name, out)
		}
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		args    []string
		out     string // part of stdout
		wantErr string // part of the error, "" for none
	}{
		{args: []string{"version"}, out: "dev\n"},
		{args: []string{"--version"}, out: "dev\n"},
		{args: []string{"help"}, out: "Usage: backend"},
		{args: []string{"--help"}, out: "version"},
		{args: []string{"bogus"}, wantErr: `unknown command "bogus"`},
		{args: []string{"serve", "extra"}, wantErr: `serve takes no arguments, not "extra"`},
		{args: []string{"env", "-v"}, wantErr: `env takes no arguments`},
	}
	for _, tt := range tests {
		out, err := runCommand(t, nil, tt.args...)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tt.args, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.wantErr)
		case !strings.Contains(out, tt.out):
			t.Errorf("%v: output %q, want %q in it", tt.args, out, tt.out)
		}
	}
}

func TestBadEnvironment(t *testing.T) {
	_, err := runCommand(t, map[string]string{"PORT": "notaport"})
	if err == nil || !strings.Contains(err.Error(), `PORT="notaport"`) {
		t.Errorf("PORT=notaport: error %v, want it to name PORT", err)
	}

	_, err = runCommand(t, map[string]string{"PORT": "notaport", "LOG_LEVEL": "loud"})
	if err == nil || !strings.Contains(err.Error(), "PORT=") || !strings.Contains(err.Error(), "LOG_LEVEL=") {
		t.Errorf("PORT and LOG_LEVEL bad: error %v, want both named", err)
	}

	if _, err := runCommand(t, map[string]string{"PORT": "notaport"}, "help"); err != nil {
		t.Errorf("help with a bad environment: %v", err)
	}
}
