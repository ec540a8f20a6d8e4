package checks

import (
	"bytes"
	"path"
	"strings"
)

// secret is a credential written in a file.
type secret struct {
	Line int
	What string // "a private key", "an AWS access key ID", "a password in the URL postgres://app:…@db"
}

var (
	privateKey   = lazy(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----`)
	awsKeyID     = lazy(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)
	urlPassword  = lazy(`\b([a-z][a-z0-9+.-]*)://([^\s:/@'"\x60]+):([^\s@/'"\x60]+)@([^\s/:'"\x60?#,;)@]+)(?:[\s/:'"\x60?#,;)]|$)`)
	placeholders = lazy(`(?i)^(?:pass(?:word|wd)?|pwd|secret|changeme|change_me|change-me|example|dummy|test|redacted|x+|\*+|\.+|…+|_+|-+)$`)
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
		for _, m := range privateKey.FindAllIndex(data, -1) {
			add(m[0], "a private key")
		}
	}
	if bytes.Contains(data, []byte("AKIA")) || bytes.Contains(data, []byte("ASIA")) {
		for _, m := range awsKeyID.FindAllIndex(data, -1) {
			if !bytes.HasSuffix(data[m[0]:m[1]], []byte("EXAMPLE")) {
				add(m[0], "an AWS access key ID")
			}
		}
	}
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
		for _, m := range urlPassword.FindAllSubmatchIndex(line, -1) {
			for k := range m {
				m[k] += lineStart
			}
			scheme, user, pass, host := string(data[m[2]:m[3]]), string(data[m[4]:m[5]]), string(data[m[6]:m[7]]), string(data[m[8]:m[9]])
			if isPlaceholder(user, pass) || isLocalHost(host) {
				continue
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
		placeholders.MatchString(pass) || pass == user
}

// isLocalHost reports whether host is this machine or a documentation
// domain, whose passwords protect nothing.
func isLocalHost(host string) bool {
	h := strings.ToLower(host)
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "[::1]" || h == "host" || h == "hostname" ||
		h == "example.com" || strings.HasSuffix(h, ".example.com") || h == "example.org" || h == "example.net" ||
		strings.HasSuffix(h, ".example") || strings.HasSuffix(h, ".invalid") || strings.HasSuffix(h, ".test")
}
