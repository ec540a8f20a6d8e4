package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/twelvefactor/twelve/internal/project"
)

// answersFile is what --answers FILE may hold: the answers of `twelve new`,
// written by hand in JSON or YAML, or a service's .twelve.json, so that CI
// can regenerate the same service. Every field is optional; a flag given on
// the command line wins over the file.
type answersFile struct {
	Name       *string   `yaml:"name"`
	Module     *string   `yaml:"module"`
	Components *[]string `yaml:"components"`
	Prefix     *string   `yaml:"prefix"`
	Port       *int      `yaml:"port"`
}

// answersKeys are the keys an answers file may have, and what each holds.
var answersKeys = []struct{ key, kind string }{
	{"name", "a string"},
	{"module", "a string"},
	{"components", "a list of component names"},
	{"prefix", "a string"},
	{"port", "a number"},
}

// manifestOnly reports whether key is one of a manifest's keys that are not
// answers, such as twelve and files: a manifest replays with them ignored.
func manifestOnly(key string) bool {
	t := reflect.TypeFor[project.Manifest]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == key {
			return true
		}
	}
	return false
}

// readAnswersFile reads and checks an answers file: JSON or YAML, a mapping
// whose keys are all known and whose values have the right types. Its
// errors name the file, the line and the key.
func readAnswersFile(name string) (answersFile, error) {
	var a answersFile
	data, err := readCapped(name, maxAnswers)
	var large *project.TooLargeError
	if errors.As(err, &large) {
		return a, usagef("--answers %s is larger than %d KiB: an answers file holds a few lines (name, module, components, prefix, port)", name, maxAnswers>>10)
	}
	var odd *project.NotRegularError
	if errors.As(err, &odd) {
		return a, usagef("cannot read --answers %s: %s, not a regular file: give a JSON or YAML file", name, odd.Kind())
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return a, usagef("cannot read --answers %s: %s", name, err)
	}
	// YAML is a superset of JSON: one parser reads both.
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err == io.EOF {
		return a, usagef("--answers %s is empty: write name, module, components, prefix or port in it", name)
	} else if err != nil {
		return a, usagef("--answers %s is neither JSON nor YAML: %s", name, clip(strings.TrimPrefix(err.Error(), "yaml: ")))
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return a, usagef("--answers %s must hold a mapping of keys such as name, module and components", name)
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return a, usagef("--answers %s holds more than one YAML document: keep one", name)
	}
	m := doc.Content[0]
	seen := map[string]bool{}
	var known []string
	for _, k := range answersKeys {
		known = append(known, k.key)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		at := fmt.Sprintf("%s:%d", name, key.Line)
		j := slices.IndexFunc(answersKeys, func(k struct{ key, kind string }) bool { return k.key == key.Value })
		if j < 0 && manifestOnly(key.Value) {
			continue
		}
		if seen[key.Value] {
			return a, usagef("%s: %s is given twice in --answers: keep one", at, key.Value)
		}
		seen[key.Value] = true
		if j < 0 {
			return a, usagef("%s: unknown key %s in --answers (known: %s)", at, show(key.Value), strings.Join(known, ", "))
		}
		var dst any
		switch key.Value {
		case "name":
			dst = &a.Name
		case "module":
			dst = &a.Module
		case "components":
			dst = &a.Components
		case "prefix":
			dst = &a.Prefix
		case "port":
			dst = &a.Port
		}
		if !scalarsOnly(value, key.Value) {
			return a, usagef("%s: %s must be %s, not %s", at, key.Value, answersKeys[j].kind, describeNode(value))
		}
		if err := value.Decode(dst); err != nil {
			return a, usagef("%s: %s must be %s, not %s", at, key.Value, answersKeys[j].kind, describeNode(value))
		}
	}
	return a, nil
}

// maxAnswers bounds an answers file: a manifest of a service with every
// component is a few KiB.
const maxAnswers = 1 << 20

// readCapped reads at most max bytes of a regular file: twelve never reads
// a huge file, nor one without end such as /dev/zero, into memory, and never
// waits on a named pipe. Its errors are project's *TooLargeError and
// *NotRegularError, or the system's.
func readCapped(name string, max int64) ([]byte, error) {
	return project.ReadRegularFile(name, max)
}

// scalarsOnly reports whether n is what key holds: a plain string, a
// number for port, a list of strings for components. yaml would otherwise
// turn a mapping into a string, decode !!binary or follow an alias.
func scalarsOnly(n *yaml.Node, key string) bool {
	switch key {
	case "port":
		return n.Kind == yaml.ScalarNode && n.Tag == "!!int"
	case "components":
	default:
		return n.Kind == yaml.ScalarNode && n.Tag == "!!str"
	}
	if n.Kind != yaml.SequenceNode {
		return false
	}
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || c.Tag != "!!str" {
			return false
		}
	}
	return true
}

func describeNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return show(n.Value)
	}
	return map[yaml.Kind]string{yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping", yaml.AliasNode: "an alias", yaml.DocumentNode: "a document"}[n.Kind]
}
