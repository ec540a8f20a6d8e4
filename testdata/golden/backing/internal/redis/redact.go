package redis

import (
	"errors"
	"net/url"
	"strings"
)

// redactURL replaces in msg the connection URL rawURL and its password with
// their redacted forms, and joins its lines into one.
func redactURL(msg, rawURL string) string {
	if rawURL == "" {
		return msg
	}
	redacted := "(the URL)"
	if u, err := url.Parse(rawURL); err == nil {
		redacted = u.Redacted()
	}
	msg = strings.ReplaceAll(msg, rawURL, redacted)
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\n\t", "; "), "\n", "; ") // one line
	if password := password(rawURL); password != "" {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
	}
	return msg
}

// password returns the password in rawURL, even in a URL that url.Parse
// refuses, such as one with a bad port.
func password(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		p, _ := u.User.Password()
		return p
	}
	_, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return ""
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 && !strings.Contains(rest[end:], "@") {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, p, _ := strings.Cut(rest[:at], ":")
	return p
}

// redactError is redactURL for the message of err. A URL that does not parse
// gives only the reason: url.Parse's error quotes the part it refuses, which
// may be the password (invalid port ":hunter2" after host).
func redactError(err error, rawURL string) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Op == "parse" {
		reason, _, _ := strings.Cut(ue.Err.Error(), `"`)
		return "not a valid URL: " + strings.TrimSpace(reason)
	}
	return redactURL(err.Error(), rawURL)
}
