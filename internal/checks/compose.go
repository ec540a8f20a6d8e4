package checks

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Docker Compose files: their services, images and environments.

// isCompose reports whether a file is a Docker Compose file:
// compose.yaml, docker-compose.yml, compose.prod.yaml, docker-compose.override.yml.
func isCompose(base string) bool {
	b := strings.ToLower(base)
	if !strings.HasSuffix(b, ".yml") && !strings.HasSuffix(b, ".yaml") {
		return false
	}
	return strings.HasPrefix(b, "compose.") || strings.HasPrefix(b, "docker-compose.")
}

// composeService is a service of a compose file.
type composeService struct {
	File, Name string
	Line       int
	Image      string
	Env        map[string]envValue
}

// envValue is the value of an environment variable and where it is set.
type envValue struct {
	File  string
	Line  int
	Value string
}

// composeServices parses the compose files with a YAML parser. A file that
// does not parse comes back as a finding that says so.
func (r *Repo) composeServices() ([]composeService, []Finding) {
	var (
		out  []composeService
		errs []Finding
	)
	for _, name := range r.filesWhere(isCompose) {
		var doc struct {
			Services yaml.Node `yaml:"services"`
		}
		if err := yaml.Unmarshal(r.data(name), &doc); err != nil {
			errs = append(errs, finding(ruleBackingServiceParity, Warn, name, 0, "the compose file does not parse as YAML (%s): fix it", firstLine(err.Error())))
			continue
		}
		s := doc.Services
		if s.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(s.Content); i += 2 {
			svc := composeService{File: name, Name: s.Content[i].Value, Line: s.Content[i].Line, Env: map[string]envValue{}}
			body := s.Content[i+1]
			if body.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(body.Content); j += 2 {
				k, v := body.Content[j].Value, body.Content[j+1]
				switch {
				case k == "image":
					svc.Image = v.Value
				case k == "environment" && v.Kind == yaml.MappingNode:
					for e := 0; e+1 < len(v.Content); e += 2 {
						svc.Env[v.Content[e].Value] = envValue{File: name, Line: v.Content[e].Line, Value: v.Content[e+1].Value}
					}
				case k == "environment" && v.Kind == yaml.SequenceNode:
					for _, item := range v.Content {
						if key, val, ok := strings.Cut(item.Value, "="); ok {
							svc.Env[key] = envValue{File: name, Line: item.Line, Value: val}
						}
					}
				}
			}
			out = append(out, svc)
		}
	}
	return out, errs
}

// imageKind returns the kind of backing service an image runs, such as
// postgres for postgres:16-alpine or bitnami/postgresql, or "".
func imageKind(image string) string {
	name, _, _ := splitImage(image)
	base := path.Base(name)
	for _, k := range []string{"postgis", "postgresql", "postgres", "mysql", "mariadb", "redis", "valkey", "mongo", "rabbitmq", "nats", "memcached", "kafka", "clickhouse", "cassandra"} {
		if strings.HasPrefix(base, k) {
			switch k {
			case "postgis", "postgresql":
				return "postgres"
			case "mariadb":
				return "mysql"
			case "valkey":
				return "redis"
			case "mongo":
				return "mongodb"
			case "rabbitmq":
				return "amqp"
			}
			return k
		}
	}
	return ""
}
