package checks

import (
	"slices"
	"strings"
)

// Factor X, dev/prod parity: development runs the backing services of
// production.

// kindOfURL returns the kind of backing service a URL is for, or "".
func kindOfURL(v string) string {
	scheme, _, ok := strings.Cut(v, "://")
	if !ok {
		scheme, _, ok = strings.Cut(v, ":") // sqlite:db.sqlite3
	}
	if !ok {
		return ""
	}
	return backingSchemes[strings.ToLower(scheme)]
}

const ruleBackingServiceParity = factorDevProdParity + "-backing-service-parity"

var backingServiceParity = Rule{
	ID:     ruleBackingServiceParity,
	Factor: factorDevProdParity,
	Title:  "development runs the same kinds and versions of backing services as production",
	NA:     "there is no compose file and no .env example",
	Applies: func(r *Repo) bool {
		return len(r.filesWhere(isCompose)) > 0 || len(r.filesWhere(isEnvExample)) > 0
	},
	Check: func(r *Repo) []Finding {
		services, out := r.composeServices()
		// The same variable set to URLs of different kinds of service.
		urls := map[string][]envValue{}
		for _, s := range services {
			for k, v := range s.Env {
				if kindOfURL(v.Value) != "" {
					urls[k] = append(urls[k], v)
				}
			}
		}
		for _, name := range r.filesWhere(isEnvExample) {
			for i, l := range r.lines(name) {
				k, v, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(l), "export "), "=")
				if v = strings.Trim(v, `"'`); ok && kindOfURL(v) != "" {
					urls[k] = append(urls[k], envValue{File: name, Line: i + 1, Value: v})
				}
			}
		}
		for k, vs := range urls {
			first := vs[0]
			for _, v := range vs[1:] {
				if a, b := kindOfURL(first.Value), kindOfURL(v.Value); a != b {
					out = append(out, finding(ruleBackingServiceParity, Warn, v.File, v.Line, "%s is a %s URL here but a %s URL in %s:%d, so development and production run different backing services: run %s everywhere, in a container for development", k, b, a, first.File, first.Line, cmpKind(a, b)))
					break
				}
			}
		}
		// The same service with a different kind or version of image.
		seen := map[string]composeService{}
		for _, s := range services {
			p, ok := seen[s.Name]
			if !ok || p.File == s.File || imageKind(s.Image) == "" || imageKind(p.Image) == "" {
				if !ok {
					seen[s.Name] = s
				}
				continue
			}
			_, pt, _ := splitImage(p.Image)
			_, st, _ := splitImage(s.Image)
			if imageKind(p.Image) != imageKind(s.Image) || major(pt) != major(st) {
				out = append(out, finding(ruleBackingServiceParity, Warn, s.File, s.Line, "service %s runs %s here but %s in %s: run the same backing service and major version in every environment", s.Name, s.Image, p.Image, p.File))
			}
		}
		slices.SortFunc(out, func(a, b Finding) int { return strings.Compare(a.String(), b.String()) })
		return out
	},
}

// cmpKind picks the service to run everywhere: the one that is not SQLite.
func cmpKind(a, b string) string {
	if a == "sqlite" {
		return b
	}
	return a
}

// major returns the major version of an image tag: 16 of 16.4-alpine.
func major(tag string) string {
	m, _, _ := strings.Cut(tag, ".")
	m, _, _ = strings.Cut(m, "-")
	return m
}

// isEnvExample reports whether a file is a dotenv example: .env.example.
func isEnvExample(base string) bool {
	return strings.HasPrefix(base, ".env") && isExample(base)
}
