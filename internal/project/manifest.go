// Package project knows a service that twelve made: its manifest, which files
// twelve owns, and how to write a tree to disk without leaving half of it.
package project

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/render"
)

// ManifestFile is the manifest's name at the root of a generated service.
const ManifestFile = ".twelve.json"

// Manifest records how a service was made, so that `twelve add` knows the
// project and can tell the files it owns from the user's edits.
type Manifest struct {
	// Schema is the manifest's format: 0 (absent) for manifests written
	// before twelve recorded its templates, Schema for today's.
	Schema int    `json:"schema,omitempty"`
	Twelve string `json:"twelve"` // twelve's version that wrote the manifest
	// Templates is the digest of the template revision that rendered the
	// service: what update, add and remove render as the base.
	Templates  string   `json:"templates,omitempty"`
	Name       string   `json:"name"`             // the service's name
	Module     string   `json:"module"`           // its Go module path
	Components []string `json:"components"`       // sorted
	Prefix     string   `json:"prefix,omitempty"` // the environment prefix, e.g. BILLING_
	Port       int      `json:"port,omitempty"`   // PORT's default, when not service.json's
	// Files holds, for every file twelve rendered, the sha256 of what it
	// rendered (before any merge with the user's changes). Manifests of
	// schema 0 hold what twelve wrote.
	Files map[string]string `json:"files"`
	// Regions holds, in manifests of schema 0, for files that twelve owned
	// in regions, the sha256 of each region as twelve wrote it:
	// "README.md#vars" -> hash.
	Regions map[string]string `json:"regions,omitempty"`
	// Conflicts lists the files into which the last command wrote conflict
	// markers; no command writes while markers remain in them.
	Conflicts []string `json:"conflicts,omitempty"`
}

// Schema is the manifest format this twelve writes. A manifest of a higher
// schema was written by a newer twelve.
const Schema = 1

// NewerError says that a service was made or last changed by a newer
// twelve than this one.
type NewerError struct{ What string }

func (e *NewerError) Error() string {
	return fmt.Sprintf("%s: this service was made by a newer twelve (%s): upgrade twelve (go install github.com/twelvefactor/twelve/cmd/twelve@latest)", ManifestFile, e.What)
}

// Answers are the answers the service was made with.
func (m Manifest) Answers() answers.Answers {
	return answers.Answers{Name: m.Name, Module: m.Module, Components: append([]string{}, m.Components...), Prefix: m.Prefix, Port: m.Port}
}

// NewManifest describes files rendered for answers by twelve at version.
func NewManifest(version, templates string, a answers.Answers, files []render.File) Manifest {
	m := Manifest{
		Schema:     Schema,
		Twelve:     version,
		Templates:  templates,
		Name:       a.Name,
		Module:     a.Module,
		Components: append([]string{}, a.Components...),
		Prefix:     a.Prefix,
		Port:       a.Port,
		Files:      map[string]string{},
	}
	for _, f := range files {
		m.Files[f.Path] = Hash(f.Data)
	}
	return m
}

// isHash reports whether h is a hash as Hash writes it.
func isHash(h string) bool { return len(h) == len("sha256:")+64 && hashRE.MatchString(h) }

// hashRE is isHash without the length, which as a counted repetition
// would compile slowly at the start of every command.
var hashRE = regexp.MustCompile(`^sha256:[0-9a-f]+$`)

// ReadManifest reads and checks the manifest of the service in dir. Its
// errors say what is wrong with the file and how to recover it.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	name := filepath.Join(dir, ManifestFile)
	broken := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: restore it from version control (git checkout -- %s)", name, fmt.Sprintf(format, args...), ManifestFile)
	}
	// Through the service's root, as add writes it: a link that leads
	// out of the service is not followed.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return m, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	defer root.Close()
	data, err := ReadRegularIn(root, ManifestFile, MaxManifestSize)
	var notRegular *NotRegularError
	var large *TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return m, broken("%s, not a regular file", kindOf(notRegular.Mode))
	case errors.As(err, &large):
		return m, broken("larger than %d KiB, which no manifest twelve writes is", MaxManifestSize>>10)
	case err != nil:
		return m, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	return parseManifest(data, broken)
}

// MaxManifestSize bounds what ReadManifest reads: the manifest of a service
// with every component is a few KiB.
const MaxManifestSize = 1 << 20

// ParseManifest checks the content of a manifest; its errors name the
// file as name.
func ParseManifest(name string, data []byte) (Manifest, error) {
	return parseManifest(data, func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: restore it from version control (git checkout -- %s)", name, fmt.Sprintf(format, args...), ManifestFile)
	})
}

func parseManifest(data []byte, broken func(format string, args ...any) error) (Manifest, error) {
	var m Manifest
	// Two branches that each added or removed components, merged by git:
	// restoring the file would fail (it is unmerged), and would lose one
	// side's components.
	if bytes.HasPrefix(data, []byte("<<<<<<< ")) || bytes.Contains(data, []byte("\n<<<<<<< ")) {
		return m, fmt.Errorf("%s holds a merge's conflict markers: keep one side's (git checkout --ours %s, or --theirs), then twelve add or remove what the other side changed", ManifestFile, ManifestFile)
	}
	// The schema first: a newer twelve's manifest may hold fields this one
	// does not know, which must not read as a broken file.
	var head struct {
		Schema int    `json:"schema"`
		Twelve string `json:"twelve"`
	}
	if json.Unmarshal(data, &head) == nil && head.Schema > Schema {
		what := fmt.Sprintf("manifest schema %d", head.Schema)
		if head.Twelve != "" {
			what = fmt.Sprintf("twelve %s, %s", clip(head.Twelve), what)
		}
		return m, &NewerError{What: what}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		if err == io.EOF {
			return m, broken("empty")
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) {
			return m, broken("not valid JSON (%s)", clip(err.Error()))
		}
		return m, broken("%s", clip(err.Error()))
	}
	if _, err := dec.Token(); err != io.EOF {
		return m, broken("more after its JSON object")
	}
	if m.Name == "" || m.Module == "" {
		return m, broken("name and module must be set")
	}
	for p, h := range m.Files {
		if !fs.ValidPath(p) || p == "." {
			return m, broken("file path %s is not a path inside the service", show(p))
		}
		if !isHash(h) {
			return m, broken("hash of %s is %s, not sha256:HEX", show(p), show(h))
		}
	}
	if m.Schema < 0 {
		return m, broken("schema %d is not a manifest schema", m.Schema)
	}
	if m.Templates != "" && !isHash(m.Templates) {
		return m, broken("templates is %s, not sha256:HEX", show(m.Templates))
	}
	for _, p := range m.Conflicts {
		if _, ok := m.Files[p]; !ok {
			return m, broken("conflicted file %s is not one of its files", show(p))
		}
	}
	for key, h := range m.Regions {
		if !isHash(h) {
			return m, broken("hash of region %s is %s, not sha256:HEX", show(key), show(h))
		}
	}
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	return m, nil
}

// show quotes a value from the manifest for a message, cut when long.
func show(s string) string {
	if r := []rune(s); len(r) > 64 {
		return fmt.Sprintf("%q…", string(r[:48]))
	}
	return fmt.Sprintf("%q", s)
}

// clip cuts a long message.
func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:100]) + "…"
	}
	return s
}

// Find returns the directory of the twelve service that contains dir: the
// nearest one, dir included, that holds a manifest. ok is false when there
// is none up to the file system's root.
func Find(dir string) (root string, ok bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	return findUp(abs, ManifestFile)
}

// FindModule returns the nearest directory, dir included, with a go.mod.
func FindModule(dir string) (root string, ok bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	return findUp(abs, "go.mod")
}

func findUp(dir, name string) (string, bool, error) {
	for {
		info, err := os.Stat(filepath.Join(dir, name))
		if err == nil && !info.IsDir() {
			return dir, true, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return "", false, fmt.Errorf("looking for %s in %s: %w", name, dir, unwrapPath(err))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false, nil
		}
		dir = parent
	}
}

// File returns the manifest as the file twelve writes into the service.
func (m Manifest) File() render.File {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // a Manifest always marshals
	}
	return render.File{Path: ManifestFile, Mode: 0o644, Data: append(data, '\n')}
}

// Hash is the content hash recorded in the manifest.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
