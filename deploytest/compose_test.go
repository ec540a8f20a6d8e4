package deploytest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// TestComposeFile loads compose.yaml as docker compose does, with
// compose-go's loader (schema validation, normalization and consistency
// checks on), for every set of components that changes it and for every
// golden tree that has it.
func TestComposeFile(t *testing.T) {
	cases := deployCombinations(t, []string{"compose"}, []string{"healthcheck", "metrics", "postgres", "redis"})
	cases = append(cases, goldenDeployCases(t, "compose.yaml")...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkCompose(t, c) })
	}
}

// loadCompose loads the project in dir as `docker compose` finds it there:
// compose.yaml, and compose.override.yaml when present.
func loadCompose(t *testing.T, dir, name string, env []string) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions(nil,
		cli.WithWorkingDirectory(dir),
		cli.WithDefaultConfigPath,
		cli.WithName(name),
		cli.WithEnv(env),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker compose would refuse %s: %v", dir, err)
	}
	return p
}

func checkCompose(t *testing.T, c deployCase) {
	file := filepath.Join(c.dir, "compose.yaml")
	if got := firstLine(t, file); got != generatedMarker {
		t.Errorf("compose.yaml starts with %q, want the generated marker: it depends on the components", got)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "compose.override.yaml") {
		t.Error("compose.yaml does not tell users to put their changes in compose.override.yaml")
	}

	// docker compose reads each secret from the variable of its name.
	var env []string
	secretValue := map[string]string{}
	for _, name := range append(c.secrets(), "POSTGRES_PASSWORD") {
		secretValue[name] = "value-of-" + name
		env = append(env, name+"="+secretValue[name])
	}
	p := loadCompose(t, c.dir, c.svc, env)

	wantServices := []string{c.svc}
	for _, b := range []string{"postgres", "redis"} {
		if c.has(b) {
			wantServices = append(wantServices, b)
		}
	}
	slices.Sort(wantServices)
	if got := p.ServiceNames(); !slices.Equal(got, wantServices) {
		t.Errorf("services %v, want %v", got, wantServices)
	}
	s, err := p.GetService(c.svc)
	if err != nil {
		t.Fatal(err)
	}

	if s.Build == nil || s.Build.Context != c.dir || s.Build.Dockerfile != "Dockerfile" {
		t.Errorf("build = %+v, want the Dockerfile in %s", s.Build, c.dir)
	} else if _, err := os.Stat(filepath.Join(c.dir, "Dockerfile")); err != nil {
		t.Errorf("compose builds from a Dockerfile the tree lacks: %v", err)
	}
	port := c.varDefault(t, "PORT")
	if len(s.Ports) != 1 || s.Ports[0].HostIP != "127.0.0.1" || s.Ports[0].Published != port || s.Ports[0].Target != uint32(atoi(t, port)) {
		t.Errorf("ports = %+v, want 127.0.0.1:%s:%s", s.Ports, port, port)
	}

	// The variables: the same list as everywhere else, secrets as files.
	secretPaths := map[string]string{} // secret -> where the container sees it
	for _, ref := range s.Secrets {
		target := ref.Target
		if target == "" {
			target = ref.Source
		}
		if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		secretPaths[ref.Source] = target
	}
	want := c.wantEnv(func(name string) string { return secretPaths[name] })
	got := map[string]string{}
	for k, v := range s.Environment {
		if v == nil {
			t.Errorf("environment: %s has no value", k)
			continue
		}
		got[k] = *v
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v || v == "" {
			t.Errorf("environment: %s = %q, want %q", k, g, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("environment: %s is not a variable of the service", k)
		}
	}
	for _, name := range c.secrets() {
		sec, ok := p.Secrets[name]
		if !ok {
			t.Errorf("secret %s is not defined at the top level", name)
			continue
		}
		if sec.Content != secretValue[name] {
			t.Errorf("secret %s: docker compose reads %q, want %q from the variable %s", name, sec.Content, secretValue[name], name)
		}
	}

	// Health, shutdown and hardening.
	if c.has("healthcheck") {
		wantTest := []string{"CMD", dockerEntrypoint(t, c.dir), "healthcheck"}
		if s.HealthCheck == nil || !slices.Equal(s.HealthCheck.Test, wantTest) {
			t.Errorf("healthcheck = %+v, want test %q", s.HealthCheck, wantTest)
		}
	} else if s.HealthCheck != nil {
		t.Errorf("healthcheck %v without the healthcheck component", s.HealthCheck.Test)
	}
	if s.StopGracePeriod == nil || time.Duration(*s.StopGracePeriod) <= c.shutdown(t) {
		t.Errorf("stop_grace_period = %v, want above SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT = %v", s.StopGracePeriod, c.shutdown(t))
	}
	if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") {
		t.Errorf("read_only = %v, cap_drop = %v: want a read-only root and no capabilities, as in Kubernetes", s.ReadOnly, s.CapDrop)
	}

	// Backing services: pinned, checked, and waited for.
	for _, b := range []string{"postgres", "redis"} {
		if !c.has(b) {
			continue
		}
		bs, err := p.GetService(b)
		if err != nil {
			t.Error(err)
			continue
		}
		if !regexp.MustCompile(`^[a-z0-9./-]+:[0-9][0-9.]*$`).MatchString(bs.Image) {
			t.Errorf("%s: image %q, want one pinned to a version", b, bs.Image)
		}
		if bs.HealthCheck == nil || len(bs.HealthCheck.Test) < 2 || bs.HealthCheck.Test[0] != "CMD" {
			t.Errorf("%s: healthcheck %+v, want a CMD test", b, bs.HealthCheck)
		}
		if dep, ok := s.DependsOn[b]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("%s does not wait for %s to be healthy: depends_on %+v", c.svc, b, s.DependsOn)
		}
	}
	if c.has("postgres") {
		if !slices.Contains(c.secrets(), "DATABASE_URL") {
			t.Error("postgres: DATABASE_URL is not a secret variable of the service")
		}
		pg, _ := p.GetService("postgres")
		if v := pg.Environment["POSTGRES_PASSWORD_FILE"]; v == nil || !slices.ContainsFunc(pg.Secrets, func(r types.ServiceSecretConfig) bool {
			return r.Source == "POSTGRES_PASSWORD" && *v == "/run/secrets/POSTGRES_PASSWORD"
		}) {
			t.Error("postgres: its password is not the secret POSTGRES_PASSWORD, read from a file")
		}
	}
	if c.has("redis") && !slices.Contains(c.secrets(), "REDIS_URL") {
		t.Error("redis: REDIS_URL is not a secret variable of the service")
	}

	// The users' changes go into compose.override.yaml, which docker
	// compose merges over compose.yaml.
	override := t.TempDir()
	if err := os.CopyFS(override, os.DirFS(c.dir)); err != nil {
		t.Fatal(err)
	}
	level := c.prefix + "LOG_LEVEL"
	yaml := "services:\n  " + c.svc + ":\n    environment:\n      " + level + ": debug\n"
	if err := os.WriteFile(filepath.Join(override, "compose.override.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = loadCompose(t, override, c.svc, env).GetService(c.svc)
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Environment[level]; v == nil || *v != "debug" {
		t.Errorf("compose.override.yaml did not change %s", level)
	}
}

// dockerEntrypoint returns the program of the Dockerfile's exec-form
// ENTRYPOINT: the binary that the compose healthcheck must run.
func dockerEntrypoint(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "ENTRYPOINT "); ok {
			var argv []string
			if err := json.Unmarshal([]byte(rest), &argv); err != nil || len(argv) == 0 {
				t.Fatalf("Dockerfile: ENTRYPOINT %s is not in exec form", rest)
			}
			return argv[0]
		}
	}
	t.Fatal("Dockerfile has no ENTRYPOINT")
	return ""
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}
