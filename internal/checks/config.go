package checks

import (
	"path"
	"slices"
	"strings"
)

// Factor III, config: config in the environment, not in the code or in
// committed files.

func hasFiles(r *Repo) bool { return len(r.Files) > 0 }

// isEnvFile reports whether a file is a dotenv file that holds real values:
// .env, .env.production; not .env.example and the like.
func isEnvFile(name string) bool {
	b := path.Base(name)
	return (b == ".env" || strings.HasPrefix(b, ".env.")) && !isExample(name) && !strings.HasSuffix(b, ".defaults")
}

const ruleEnvFiles = factorConfig + "-env-files"

var envFiles = Rule{
	ID:      ruleEnvFiles,
	Factor:  factorConfig,
	Title:   "no .env file with real values is committed",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesOf(isEnvFile) {
			if line := placeholdersOnly(append(r.files[name].secrets, assignedSecrets(name, r.data(name))...)); line > 0 {
				out = append(out, finding(ruleEnvFiles, Warn, name, line, "%s is committed with placeholders for its secrets, which the app runs with if nobody replaces them: rename it .env.example, list .env in .gitignore, and refuse to start while a secret is a placeholder", path.Base(name)))
				continue
			}
			out = append(out, finding(ruleEnvFiles, Fail, name, 0, "%s is committed, and with it the config (often secrets) of one environment: remove it with git rm --cached %s, list it in .gitignore, and commit a .env.example with placeholders instead", path.Base(name), name))
		}
		return out
	},
}

// placeholdersOnly returns the line of the first secret of a .env file
// when every secret it holds is a placeholder (SECRET_KEY=changeme), and 0
// when it holds a real one or none.
func placeholdersOnly(found []secret) int {
	line := 0
	for _, s := range found {
		if !s.Placeholder {
			return 0
		}
		if line == 0 {
			line = s.Line
		}
	}
	return line
}

// envConfig matches the name of a configuration file for one environment:
// production.yml, settings_prod.py, config.staging.json, application-dev.properties.
var envConfig = lazyRegexp(`^((?:config|settings|application|app|appsettings|conf|environment|env|secrets|database|db)[._-])?(?:prod|production|staging|stage|dev|development|qa|uat|preprod)\.(?:ya?ml|json|toml|ini|cfg|conf|properties|py|js|ts|rb|php|xml)$`)

// isEnvConfig reports whether a file is the configuration of one
// environment. Code named after an environment (dev.js, prod.py) counts only
// in a configuration folder: config/production.js, settings/prod.py.
func isEnvConfig(name string) bool {
	b := strings.ToLower(path.Base(name))
	m := envConfig().FindStringSubmatch(b)
	if m == nil {
		return false
	}
	switch path.Ext(b) {
	case ".py", ".js", ".ts", ".rb", ".php":
		dir := path.Base(path.Dir(name))
		return m[1] != "" || dir == "config" || dir == "settings" || dir == "environments" || dir == "conf"
	}
	return true
}

const rulePerEnvironmentConfig = factorConfig + "-per-environment-config"

var perEnvironmentConfig = Rule{
	ID:      rulePerEnvironmentConfig,
	Factor:  factorConfig,
	Title:   "config is not kept in one file per environment",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.filesOf(isEnvConfig) {
			out = append(out, finding(rulePerEnvironmentConfig, Warn, name, 0, "%s holds the config of one named environment, and each new deploy needs another such file: read each setting from an environment variable, with a default for development", path.Base(name)))
		}
		for _, name := range r.filesOf(isYAMLConfig) {
			if line, envs := envSections(r.lines(name)); len(envs) >= 2 {
				out = append(out, finding(rulePerEnvironmentConfig, Warn, name, line, "%s keeps one section of config per named environment (%s), and each new deploy needs another section: read each setting from an environment variable, with a default for development", path.Base(name), strings.Join(envs, ", ")))
			}
		}
		return out
	},
}

// isYAMLConfig reports whether a file is YAML configuration of the app: not
// a compose file, CI, a Kubernetes manifest folder or a test.
func isYAMLConfig(name string) bool {
	b := strings.ToLower(path.Base(name))
	if !strings.HasSuffix(b, ".yml") && !strings.HasSuffix(b, ".yaml") || isCompose(b) || isExample(name) || isExamplePath(name) {
		return false
	}
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case ".github", ".gitlab", ".circleci", "k8s", "kubernetes", "helm", "charts", "deploy", "kustomize", "manifests":
			return false
		}
	}
	return b != ".gitlab-ci.yml" && b != ".travis.yml" && b != ".golangci.yml" && b != ".golangci.yaml" && !strings.HasPrefix(b, ".goreleaser") && b != "pnpm-lock.yaml"
}

// envNames are the names of environments that config files keep sections for.
var envNames = []string{"local", "dev", "development", "test", "testing", "staging", "stage", "prod", "production", "qa", "uat", "preprod"}

// envSections returns the top-level keys of a YAML file that name
// environments, and the line of the first.
func envSections(lines []string) (int, []string) {
	first, envs := 0, []string(nil)
	for i, l := range lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '-' {
			continue
		}
		key, _, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		if slices.Contains(envNames, strings.ToLower(strings.Trim(strings.TrimSpace(key), `"'`))) {
			if first == 0 {
				first = i + 1
			}
			envs = append(envs, strings.TrimSpace(key))
		}
	}
	return first, envs
}

const ruleSecrets = factorConfig + "-secrets"

var secrets = Rule{
	ID:      ruleSecrets,
	Factor:  factorConfig,
	Title:   "no secret is committed: private keys, cloud access keys, passwords in URLs",
	NA:      "the directory is empty",
	Applies: hasFiles,
	Check: func(r *Repo) []Finding {
		var out []Finding
		for _, name := range r.Files {
			if len(r.files[name].secrets) == 0 || !r.ofApp(name) {
				continue // a test's key signs the test's requests, unless the app loads it
			}
			for _, s := range r.files[name].secrets {
				switch {
				case s.Placeholder:
					out = append(out, finding(ruleSecrets, Warn, name, s.Line, "%s is a placeholder that the app runs with until someone replaces it: read the secret from the environment and refuse to start without it", s.What))
				case s.Default:
					out = append(out, finding(ruleSecrets, Fail, name, s.Line, "%s is used when the environment lacks the secret, so every deploy that forgets it shares one committed secret: drop the default and refuse to start without the variable", s.What))
				default:
					out = append(out, finding(ruleSecrets, Fail, name, s.Line, "%s is committed, readable by everyone with the code: revoke it, remove it from the repository and read it from the environment (or a *_FILE secret) at run time", s.What))
				}
			}
		}
		return out
	},
}
