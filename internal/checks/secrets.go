package checks

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"
)

// secret is a credential written in a file.
type secret struct {
	Line int
	What string // "a private key", "an AWS access key ID", "a password in the URL postgres://app:…@db"
	// Placeholder is true for a value meant to be replaced, as in
	// SECRET_KEY = "changeme": a warning, not a leaked secret.
	Placeholder bool
	// Default is true for a fallback used when the environment lacks the
	// variable: os.environ.get("SECRET_KEY", "dev-key").
	Default bool
}

var (
	privateKey   = lazyRegexp(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----`)
	awsKeyID     = lazyRegexp(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)
	urlPassword  = lazyRegexp(`\b([a-z][a-z0-9+.-]*)://([^\s:/@'"\x60]+):([^\s@/'"\x60]+)@([^\s/:'"\x60?#,;)@]+)(?:[\s/:'"\x60?#,;)]|$)`)
	placeholders = lazyRegexp(`(?i)^(?:pass(?:word|wd)?|pwd|secret|changeme|change_me|change-me|example|dummy|test|redacted|x+|\*+|\.+|…+|_+|-+)$`)
)

// isExample reports whether a file only shows what another file should hold:
// .env.example, config.sample.yaml, settings.py.dist, or is a test.
func isExample(name string) bool {
	b := strings.ToLower(path.Base(name))
	for _, w := range []string{"example", "sample", "template", ".dist", "_test.", ".test.", ".spec.", "test_"} {
		if strings.Contains(b, w) {
			return true
		}
	}
	return false
}

// findSecrets returns the private keys, cloud access keys and passwords in
// URLs that a file holds. Examples and tests are not searched, nor are
// placeholders (${DB_PASSWORD}, <password>, changeme), passwords of local
// hosts, and the documented example key of AWS.
func findSecrets(name string, data []byte) []secret {
	if isExample(name) {
		return nil
	}
	var out []secret
	add := func(off int, what string) {
		out = append(out, secret{Line: bytes.Count(data[:off], []byte("\n")) + 1, What: what})
	}
	hasAt := bytes.IndexByte(data, '@') >= 0
	if bytes.Contains(data, []byte("PRIVATE KEY")) {
		for _, m := range privateKey().FindAllIndex(data, -1) {
			add(m[0], "a private key")
		}
	}
	if bytes.Contains(data, []byte("AKIA")) || bytes.Contains(data, []byte("ASIA")) {
		for _, m := range awsKeyID().FindAllIndex(data, -1) {
			if !bytes.HasSuffix(data[m[0]:m[1]], []byte("EXAMPLE")) {
				add(m[0], "an AWS access key ID")
			}
		}
	}
	out = append(out, findAssignedSecrets(name, data)...)
	var text []bool // of a Python file: the lines of help and usage text, whose URLs are examples
	for i := 0; hasAt; {
		// The regular expression runs on the lines with a "://" followed by
		// an "@" in the same word: few, and so fast.
		j := bytes.Index(data[i:], []byte("://"))
		if j < 0 {
			break
		}
		at := i + j
		lineStart := bytes.LastIndexByte(data[:at], '\n') + 1
		lineEnd := bytes.IndexByte(data[at:], '\n')
		if lineEnd < 0 {
			lineEnd = len(data)
		} else {
			lineEnd += at
		}
		i = lineEnd
		line := data[lineStart:lineEnd]
		if bytes.IndexByte(line, '@') < 0 {
			continue
		}
		for _, m := range urlPassword().FindAllSubmatchIndex(line, -1) {
			for k := range m {
				m[k] += lineStart
			}
			scheme, user, pass, host := string(data[m[2]:m[3]]), string(data[m[4]:m[5]]), string(data[m[6]:m[7]]), string(data[m[8]:m[9]])
			if isPlaceholder(user, pass) || isLocalHost(host) {
				continue
			}
			if strings.HasSuffix(name, ".go") && bytes.HasPrefix(bytes.TrimSpace(line), []byte("//")) {
				continue // a Go comment's URL is an example: // postgres://u:pw@host parses as ...
			}
			if strings.HasSuffix(name, ".py") {
				if text == nil {
					text = pyTextLines(strings.Split(string(data), "\n"))
				}
				if text[bytes.Count(data[:m[0]], []byte("\n"))] {
					continue
				}
			}
			add(m[0], "a password in the URL "+scheme+"://"+user+":…@"+host)
		}
	}
	return out
}

// isPlaceholder reports whether a password in a URL stands for one: a
// variable, a template, a word like "password", or the user name again.
func isPlaceholder(user, pass string) bool {
	return strings.ContainsAny(pass[:1], "$<{%[") || strings.Contains(pass, "${") || strings.Contains(pass, "{{") ||
		placeholders().MatchString(pass) || pass == user
}

// isLocalHost reports whether host is this machine or a documentation
// domain, whose passwords protect nothing.
func isLocalHost(host string) bool {
	h := strings.ToLower(host)
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "[::1]" || h == "host" || h == "hostname" ||
		h == "example.com" || strings.HasSuffix(h, ".example.com") || h == "example.org" || h == "example.net" ||
		strings.HasSuffix(h, ".example") || strings.HasSuffix(h, ".invalid") || strings.HasSuffix(h, ".test")
}

// secretFileKind says how findAssignedSecrets reads a file: code, where only
// quoted values count; configuration, where bare values count too; a
// Dockerfile, whose ENV and ARG lines are configuration. Documentation,
// front-end assets and translations are not read.
func secretFileKind(name string) string {
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case "static", "public", "assets", "www", "locale", "locales", "i18n", "lang", "langs", "translations", "docs", "doc", "examples", "example", "fixtures",
			"test", "tests", "spec", "specs", "__tests__", "e2e", "cypress", "testing", // tests log in with made-up passwords
			".github", ".gitlab", ".circleci", ".buildkite", "docker-compose", "compose": // CI and development stacks start databases with local passwords
			return ""
		}
	}
	base := path.Base(name)
	b := strings.ToLower(base)
	if isDevConfig(b) {
		return "" // the credentials of development's and tests' local services
	}
	if isDockerfile(base) {
		return "dockerfile"
	}
	if isCompose(base) || strings.HasSuffix(b, ".min.js") || b == ".gitlab-ci.yml" || b == ".travis.yml" {
		return "" // development stacks hold local passwords by design
	}
	if strings.HasSuffix(b, ".lock") || strings.HasSuffix(b, "-lock.yaml") || strings.HasSuffix(b, "-lock.json") || b == "pnpm-workspace.yaml" {
		return "" // lock files and workspaces pin packages: jsonwebtoken: 9.0.2 is a version
	}
	switch path.Ext(b) {
	case ".go", ".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".php", ".java", ".kt", ".cs", ".rs", ".exs", ".ex":
		return "code"
	case ".ini", ".cfg", ".conf", ".toml", ".yaml", ".yml", ".properties":
		return "config"
	case ".json":
		for _, w := range []string{"config", "settings", "secret", "credential", "appsettings"} {
			if strings.Contains(b, w) {
				return "config"
			}
		}
	}
	if strings.HasPrefix(b, ".env") {
		return "config"
	}
	return ""
}

// isDevConfig reports whether a configuration file is a development or
// test environment's (config.development.json, settings_dev.py,
// config.testing-mysql.json), which production does not load: its
// passwords open local services, as a URL's to localhost do.
func isDevConfig(b string) bool {
	if strings.HasPrefix(b, ".env") {
		return false // III-env-files judges those
	}
	for _, w := range strings.FieldsFunc(b, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		switch w {
		case "development", "dev", "testing", "test":
			return true
		}
	}
	return false
}

var (
	// secretFallback matches the literal after || , ?? or or: the value a
	// secret takes when the environment lacks it.
	secretFallback = lazyRegexp(`(?:\|\||\?\?|\bor)\s*(["'\x60])([^"'\x60\n]*)["'\x60]`)
	// secretEnvDefault matches an environment read with a default:
	// os.environ.get("SECRET_KEY", "x"), getenv("TOKEN", "x"), env('KEY', 'x').
	secretEnvDefault = lazyRegexp(`(?i)(?:env|environ\.get|getenv|config)\w*\(\s*["']([A-Za-z0-9_]+)["']\s*,\s*["']([^"'\n]*)["']`)
	// secretPlaceholder matches a value meant to be replaced.
	secretPlaceholder = lazyRegexp(`(?i)change|replace|your[-_ ]|^<|^x{3,}$|^\*+$|^(?:todo|fixme|tbd|dummy|example|sample|default|insecure|unsafe[-_]?\w*|dev|development|test|testing|local|secret|password|passwd|pass|pwd|admin|root)$|secret|password`)
	// camelName matches an identifier in lower camel case: webPass, newPassword.
	camelName = lazyRegexp(`^[a-z]+(?:[A-Z][a-z]+)+$`)
	// envName matches the name of an environment variable.
	envName = lazyRegexp(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
)

// secretWords are parts of the names of keys that hold secrets, as their
// lower-case letters run: SECRET_KEY, signingKey, MAILMAN_REST_API_PASS.
var secretWords = []string{"secret", "password", "passwd", "passphrase", "token", "apikey", "privatekey", "accesskey", "signingkey", "authkey", "sessionkey", "cookiekey", "encryptionkey", "hmackey", "jwtkey", "masterkey", "credential"}

// notSecretWords are parts of the names of keys that hold something about
// a secret but not the secret: PASSWORD_FILE, password_min_length, TOKEN_URL.
var notSecretWords = []string{"file", "path", "env", "name", "field", "url", "uri", "length", "len", "min", "max", "timeout", "validator", "reset", "prompt", "label", "placeholder", "header", "param", "type", "ttl", "regex", "pattern", "policy", "format", "id", "count", "size", "enable", "require", "mode", "method", "provider", "store", "storage", "endpoint", "location", "dir", "command", "cmd", "hint", "message", "msg", "error", "title", "text", "input", "column", "table", "query", "rule", "strength", "host", "port", "user", "hash", "hasher", "salt", "algorithm", "cipher", "lifetime", "age", "duration", "interval", "prefix", "suffix", "cache", "backend", "class", "handler", "generator", "auth_type", "version", "scope", "audience", "issuer", "refresh", "kind", "keyword", "challenge", "mount", "delivery", "owner", "errcode", "err", "invalid", "wrong", "missing"}

// isSecretKey reports whether a key names a secret.
func isSecretKey(key string) bool {
	key = key[strings.LastIndexAny(key, ".")+1:] // config.db.password: password
	k := strings.ToLower(key)
	flat := k
	if strings.ContainsAny(k, "_-") {
		flat = strings.Map(func(r rune) rune {
			if r == '_' || r == '-' {
				return -1
			}
			return r
		}, k)
	}
	found := strings.HasSuffix(flat, "pass") || strings.HasSuffix(flat, "pwd")
	for _, w := range secretWords {
		found = found || strings.Contains(flat, w)
	}
	if !found {
		return false
	}
	words := keyWords(key)
	for _, w := range words {
		if slices.Contains(notSecretWords, w) || strings.HasPrefix(w, "expir") {
			return false
		}
	}
	if len(words) == 1 { // written as one word: self.secretsmount, passwordfile
		for _, w := range notSecretWords {
			if len(w) >= 4 && strings.HasSuffix(flat, w) {
				return false
			}
		}
	}
	return true
}

// keyWords splits a key into its lower-case words: db, password, file of
// dbPasswordFile or DB_PASSWORD_FILE.
func keyWords(key string) []string {
	var words []string
	start := 0
	for i := 1; i <= len(key); i++ {
		if i == len(key) || strings.ContainsRune("_-. ", rune(key[i])) ||
			key[i] >= 'A' && key[i] <= 'Z' && key[i-1] >= 'a' && key[i-1] <= 'z' {
			if w := strings.Trim(key[start:i], "_-. "); w != "" {
				words = append(words, strings.ToLower(w))
			}
			start = i
		}
	}
	return words
}

// secretValue classifies the value of a secret key: "" when it is no
// secret (empty, a reference, a name, a path, a sentence), "placeholder"
// when it is meant to be replaced, "secret" otherwise.
func secretValue(v string) string {
	switch {
	case len(v) < 3, strings.ContainsAny(v, " \t"), strings.ContainsAny(v[:1], "$<{%[(@&*:"),
		strings.Contains(v, "${"), strings.Contains(v, "{{"), strings.Contains(v, "%("), strings.Contains(v, "#{"),
		strings.Contains(v, "://"), strings.HasPrefix(v, "/"), strings.HasPrefix(v, "./"), strings.HasPrefix(v, "../"), strings.HasPrefix(v, "~/"):
		return ""
	}
	lv := strings.ToLower(v)
	switch lv {
	case "true", "false", "yes", "no", "on", "off", "required", "optional", "bearer", "basic", "string", "str", "bool", "int",
		"none", "null", "nil", "undefined", "empty", // no value at all
		"same-origin", "include", "omit": // the modes of fetch's credentials option
		return ""
	}
	if envName().MatchString(v) && !strings.HasPrefix(lv, "unsafe") && !strings.HasPrefix(lv, "insecure") {
		return "" // the name of the variable that holds it: ME_CONFIG_BASICAUTH_PASSWORD
	}
	if ext := path.Ext(lv); ext != "" && ext != lv && len(ext) <= 5 && strings.Trim(ext[1:], "abcdefghijklmnopqrstuvwxyz") == "" &&
		(ext == ".pem" || ext == ".key" || ext == ".crt" || ext == ".txt" || ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".toml" || ext == ".secret" || ext == ".env") {
		return "" // a file that holds it
	}
	if strings.Count(v, ".") >= 1 && strings.Trim(strings.ReplaceAll(lv, ".", ""), "abcdefghijklmnopqrstuvwxyz_") == "" {
		return "" // a dotted name: auth.password
	}
	if camelName().MatchString(v) {
		return "" // an identifier: MAILDEV_WEB_PASS: 'webPass' maps a variable to an option
	}
	if terminalEscapes().MatchString(lv) {
		return "" // a terminal's colour or control sequence: Pass: "\x1b[32m"
	}
	if strings.Trim(v, "0123456789") == "" && len(v) < 6 {
		return "" // a number: a length, a port, a timeout
	}
	if v[0] >= 'A' && v[0] <= 'Z' && slices.Contains(secretWords, lv) || lv == "password" && v != lv {
		return "" // a label: "password": "Password"
	}
	if secretPlaceholder().MatchString(v) {
		return "placeholder"
	}
	return "secret"
}

// nameValue reports whether the value of a secret key names something and
// is no secret: the key again (api_keys: 'api_keys', a relation's name), or
// a lower-case word that the file gives three keys or more, a category
// such as a settings group (members_private_key: 'core', title: 'core').
func nameValue(key, value string, data []byte) bool {
	if strings.EqualFold(value, key[strings.LastIndexAny(key, ".")+1:]) {
		return true
	}
	if keyName().MatchString(value) && isSecretKey(value) && !slices.Contains(placeholderWords, value[:strings.IndexByte(value, '_')]) {
		return true // the name of another key: mod_password='moderator_password' maps one setting to another
	}
	if strings.Trim(value, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return false
	}
	n := 0
	for _, q := range []string{"'", `"`, "`"} {
		n += bytes.Count(data, []byte(q+value+q))
	}
	return n >= 3
}

// terminalEscapes matches a value that is only terminal control sequences,
// as source code spells them: \x1b[32m, \033[1;31m\033[0m.
var terminalEscapes = lazyRegexp(`^(?:\\(?:x1b|033|u001b|e)\[[0-9;]*[a-z])+$`)

// keyName matches a snake_case identifier of two words or more.
var keyName = lazyRegexp(`^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$`)

// placeholderWords start values that stand for a secret to be written:
// your_password, change_me_token.
var placeholderWords = []string{"your", "my", "change", "replace", "enter", "put", "insert", "set", "example", "sample", "dummy", "fake", "test", "default", "some", "the", "a", "super", "very", "not"}

// findAssignedSecrets returns the secrets written as values of secret keys
// in code, configuration and Dockerfiles: SECRET_KEY = 'hunter2' in
// settings.py, const signingKey = "s3cr3t" in Go, Password = p4ssw0rd in an
// .ini, ENV API_TOKEN=x in a Dockerfile; and the defaults that make a
// secret optional: os.environ.get("SECRET_KEY") or "dev-key",
// process.env.TOKEN_SECRET || "dev-key".
//
// It runs on every file of every audit, so it looks for the words of
// secret keys before it parses a line, and parses without regular
// expressions but for the rare lines that read the environment.
func findAssignedSecrets(name string, data []byte) []secret {
	if isEnvFile(name) {
		return nil // III-env-files reports committed .env files, placeholders and all
	}
	return assignedSecrets(name, data)
}

// assignedSecrets is findAssignedSecrets for any file, .env files too.
func assignedSecrets(name string, data []byte) []secret {
	kind := secretFileKind(name)
	if kind == "" {
		return nil
	}
	var out []secret
	goSource := strings.HasSuffix(name, ".go")
	add := func(line int, key, value string, dflt bool) {
		c := secretValue(value)
		if c == "" || !isSecretKey(key) || nameValue(key, value, data) || storageKey(key, data) {
			return
		}
		shown := value
		if c == "secret" && len(value) > 4 {
			shown = value[:2] + "…"
		}
		what := "the value"
		if dflt {
			what = "the default"
		}
		out = append(out, secret{Line: line, What: fmt.Sprintf("%s %q of %s", what, shown, key), Placeholder: c == "placeholder", Default: dflt})
	}
	for _, ln := range secretLines(data) {
		line, l := ln.line, ln.text
		t := strings.TrimSpace(string(l))
		if t == "" || t[0] == '#' || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") || t[0] == '*' || t[0] == ';' {
			continue
		}
		n := len(out)
		if kind == "dockerfile" {
			u := strings.ToUpper(t)
			if !strings.HasPrefix(u, "ENV ") && !strings.HasPrefix(u, "ARG ") {
				continue
			}
			t = strings.TrimSpace(t[4:])
			if k, v, ok := strings.Cut(t, " "); ok && !strings.Contains(k, "=") { // ENV KEY value
				add(line, k, strings.Trim(strings.TrimSpace(v), `"'`), false)
				continue
			}
		}
		if goSource && strings.Contains(t, "`") {
			if m := goTagDefault().FindStringSubmatch(t); m != nil {
				add(line, m[1], m[2], true)
				continue
			}
		}
		if readsEnvironment(t) {
			if strings.Contains(t, ",") {
				for _, m := range secretEnvDefault().FindAllStringSubmatch(t, -1) {
					add(line, m[1], m[2], true)
				}
			}
			if k := firstKey(t); len(out) == n && isSecretKey(k) {
				for _, m := range secretFallback().FindAllStringSubmatch(t, -1) {
					add(line, k, m[2], true)
				}
			}
			if len(out) > n {
				continue
			}
		}
		assignments(t, kind != "code", func(key, value string) { add(line, key, value, false) })
	}
	return out
}

// goTagDefault matches a Go struct field whose tag gives it a default, as
// configor, envconfig and env do: Pass string `default:"admin"`. The app
// runs with that value when neither the environment nor a file sets it.
var goTagDefault = lazyRegexp(`^([A-Za-z_]\w*)\s+[\w.*\[\]]+\s+\x60[^\x60]*\b(?:default|envDefault|env-default)\s*:\s*"([^"]*)"`)

// storageKey reports whether a secret-named constant is the name under
// which browser storage keeps a secret, not the secret: const tokenKey =
// 'app-login-key' read with localStorage.getItem(tokenKey).
func storageKey(key string, data []byte) bool {
	return bytes.Contains(data, []byte("Item("+key+")")) || bytes.Contains(data, []byte("Item("+key+","))
}

// readsEnvironment reports whether a line of code reads the environment or
// a configuration: os.environ, getenv, process.env, config.get.
func readsEnvironment(t string) bool {
	return strings.Contains(t, "env") || strings.Contains(t, "Env") || strings.Contains(t, "ENV") || strings.Contains(t, "config")
}

// assignments calls fn with each key that a line assigns a value: the
// quoted value of key = "x", key := "x", key: 'x', "key": "x", and when
// bare is true the unquoted value of key = x, as configuration writes it.
func assignments(t string, bare bool, fn func(key, value string)) {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '=' && c != ':' {
			continue
		}
		op := i
		if c == ':' && i+1 < len(t) && t[i+1] == '=' {
			i++ // :=
		} else if i+1 < len(t) && (t[i+1] == '=' || t[i+1] == '>' || t[i+1] == ':') || i > 0 && strings.IndexByte("=!<>:+-*/|&", t[i-1]) >= 0 {
			continue // ==, =>, ::, !=, <=, +=
		}
		// the key: an identifier, maybe quoted, before the operator
		j := op
		for j > 0 && t[j-1] == ' ' {
			j--
		}
		if j > 0 && (t[j-1] == '"' || t[j-1] == '\'') {
			j--
		}
		k := j
		for k > 0 && isKeyByte(t[k-1]) {
			k--
		}
		key := t[k:j]
		if key == "" || !isSecretKey(key) {
			continue
		}
		// the value after the operator
		v := strings.TrimLeft(t[i+1:], " \t")
		if v == "" {
			continue
		}
		if q := v[0]; q == '"' || q == '\'' || q == '`' {
			end := strings.IndexByte(v[1:], q)
			if end < 0 {
				continue
			}
			// Part of an expression, not the whole value: "md5" + pw + user,
			// "%s:%s" % (user, pw).
			if rest := strings.TrimLeft(v[2+end:], " \t"); rest != "" && (rest[0] == '+' || rest[0] == '%') {
				continue
			}
			fn(key, v[1:1+end])
			continue
		}
		if bare {
			end := strings.IndexAny(v, " \t#;,")
			if end < 0 {
				end = len(v)
			}
			fn(key, v[:end])
		}
	}
}

// isKeyByte reports whether b may be part of a key: letters, digits, _ . -.
func isKeyByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

// firstKey returns the name a line of code assigns or the key it sets: SECRET_KEY
// of SECRET_KEY = os.environ.get(...) or ..., password of password: getenv(...) || ....
func firstKey(code string) string {
	for _, p := range []string{"export ", "const ", "var ", "let ", "self.", "this."} {
		code = strings.TrimPrefix(code, p)
	}
	end := strings.IndexAny(code, "=:(")
	if end <= 0 {
		return ""
	}
	return strings.Trim(strings.TrimSpace(code[:end]), `"'`)
}

// secretAnchors are the words that every secret key holds, in lower case.
var secretAnchors = [][]byte{[]byte("pass"), []byte("secret"), []byte("token"), []byte("key"), []byte("pwd"), []byte("credential")}

// numberedLine is a line and its 1-based number.
type numberedLine struct {
	line int
	text []byte
}

// secretLines returns the lines of data that hold a secretAnchor, in any
// case, in order. It lowers the case of data once and finds each anchor
// with bytes.Index: a fraction of the time that testing each line takes.
func secretLines(data []byte) []numberedLine {
	lower := make([]byte, len(data)) // ASCII only, so that offsets stay those of data
	for i, c := range data {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	var starts []int
	for _, a := range secretAnchors {
		for off := 0; ; {
			i := bytes.Index(lower[off:], a)
			if i < 0 {
				break
			}
			i += off
			start := bytes.LastIndexByte(lower[:i], '\n') + 1
			starts = append(starts, start)
			end := bytes.IndexByte(lower[i:], '\n')
			if end < 0 {
				break
			}
			off = i + end + 1
		}
	}
	if len(starts) == 0 {
		return nil
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	out := make([]numberedLine, 0, len(starts))
	line, prev := 1, 0
	for _, st := range starts {
		line += bytes.Count(data[prev:st], []byte("\n"))
		prev = st
		end := bytes.IndexByte(data[st:], '\n')
		if end < 0 {
			end = len(data) - st
		}
		out = append(out, numberedLine{line: line, text: data[st : st+end]})
	}
	return out
}
