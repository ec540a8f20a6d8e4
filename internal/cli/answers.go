package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/project"
)

// gathered are the answers given to twelve new so far: by the answers file,
// then the flags, which win, then the prompts. Each is kept as the text
// given, and where it came from, until newAnswers parses them all with
// the fields of package answers, as every command does.
type gathered struct {
	texts        map[string]givenText // by key; an empty name is not given
	components   *[]string            // nil: not given
	componentsAt map[string]string    // FILE:LINE of each component an answers file names
}

type givenText struct {
	text   string
	from   string // "--prefix", "prefix in --answers, a.yaml:3", "the prompt"
	inFile bool   // from an answers file: its errors name the file and line
}

func (g *gathered) set(key, text, from string) {
	if g.texts == nil {
		g.texts = map[string]givenText{}
	}
	if key == "name" && text == "" {
		delete(g.texts, key) // a name is needed: "" gives none
		return
	}
	g.texts[key] = givenText{text: text, from: from}
}

func (g *gathered) has(key string) bool {
	if key == "components" {
		return g.components != nil
	}
	_, ok := g.texts[key]
	return ok
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

// readAnswersFile reads an answers file: JSON or YAML, a mapping whose
// keys are the fields' and whose values have their kinds. Its errors name
// the file (as the user named it) by the line and the key. The values are
// checked with the flags'. path is where the file is.
func readAnswersFile(name, path string) (gathered, error) {
	var a gathered
	data, err := readCapped(path, maxAnswers)
	var large *project.TooLargeError
	if errors.As(err, &large) {
		return a, usagef("--answers %s is larger than %d KiB: an answers file holds a few lines (%s)", name, maxAnswers>>10, strings.Join(answers.Keys(false), ", "))
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
		return a, usagef("--answers %s is empty: write %s in it", name, orList(answers.Keys(false)))
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
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		at := fmt.Sprintf("%s:%d", name, key.Line)
		field := answers.Lookup(key.Value)
		if field == nil && manifestOnly(key.Value) {
			continue
		}
		if seen[key.Value] {
			return a, usagef("%s: %s is given twice in --answers: keep one", at, key.Value)
		}
		seen[key.Value] = true
		if field == nil {
			return a, usagef("%s: unknown key %s in --answers (known: %s)", at, show(key.Value), strings.Join(answers.Keys(false), ", "))
		}
		if !ofKind(value, field.Kind) {
			return a, usagef("%s: %s must be %s, not %s", at, key.Value, kindName[field.Kind], describeNode(value))
		}
		if field.Kind == answers.List {
			list := []string{}
			a.componentsAt = map[string]string{}
			for _, c := range value.Content {
				list = append(list, c.Value)
				a.componentsAt[c.Value] = fmt.Sprintf("%s:%d", name, c.Line)
			}
			a.components = &list
			continue
		}
		a.set(field.Key, value.Value, fmt.Sprintf("%s in --answers, %s:%d", field.Key, name, value.Line))
		if t, ok := a.texts[field.Key]; ok {
			t.inFile = true
			a.texts[field.Key] = t
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

// kindName says what an answers file holds for each kind of answer.
var kindName = map[answers.Kind]string{answers.Text: "a string", answers.Number: "a number", answers.List: "a list of component names"}

// ofKind reports whether n holds an answer of kind k: a plain string, an
// integer, a list of strings. yaml would otherwise turn a mapping into a
// string, decode !!binary or follow an alias. An integer's text is then
// read as a port typed at a flag is: YAML's 0x50 is refused as --port
// 0x50 is.
func ofKind(n *yaml.Node, k answers.Kind) bool {
	switch k {
	case answers.Number:
		return n.Kind == yaml.ScalarNode && n.Tag == "!!int"
	case answers.Text:
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

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func describeNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return show(n.Value)
	}
	return map[yaml.Kind]string{yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping", yaml.AliasNode: "an alias", yaml.DocumentNode: "a document"}[n.Kind]
}
