package archive

import (
	"fmt"

	"github.com/twelvefactor/twelve/internal/render"
)

// Checks are what twelve new wrote from a revision, for fixed answers: the
// tests render them again, so that no change to the renderer can change
// what an archived revision renders. They are kept in the repository, in
// checks/ beside revisions/, and not embedded.
type Checks struct {
	Digest  string                       // the revision's
	Note    string                       // how they were made, when not by the revision's own twelve new
	Answers map[string]render.Answers    // the answer sets, by name: "default", "all"
	Files   map[string]map[string]string // answer set -> path -> sha256 (hex); no .twelve.json, which holds twelve's version
}

type checksFile struct {
	Digest  string                       `json:"digest"`
	Note    string                       `json:"note,omitempty"`
	Answers map[string]answersFile       `json:"answers"`
	Files   map[string]map[string]string `json:"files"`
}

type answersFile struct {
	Name       string   `json:"name"`
	Module     string   `json:"module"`
	Components []string `json:"components"`
	Prefix     string   `json:"prefix,omitempty"`
	Port       int      `json:"port,omitempty"`
}

func (c Checks) file() checksFile {
	f := checksFile{Digest: c.Digest, Note: c.Note, Answers: map[string]answersFile{}, Files: c.Files}
	for name, a := range c.Answers {
		f.Answers[name] = answersFile(a)
	}
	return f
}

func (f checksFile) checks() Checks {
	c := Checks{Digest: f.Digest, Note: f.Note, Answers: map[string]render.Answers{}, Files: f.Files}
	for name, a := range f.Answers {
		c.Answers[name] = render.Answers(a)
	}
	return c
}

// The fixed answers every revision's checks are rendered with.
const (
	CheckName        = "svc"
	CheckModule      = "example.com/svc"
	CheckPrefix      = "ACME_"
	CheckPort        = 8181
	CheckOtherName   = "zz-svc"
	CheckOtherModule = "zz.example.org/team/zz-svc"
)

// AnswerSets returns the fixed answer sets for a catalog:
//
//   - "default": twelve new svc --module example.com/svc --no-input;
//   - "all": every component, with CheckPrefix and CheckPort when
//     prefixPort is set (when the revision's twelve new took them);
//   - "other": every component, with a name and a module path that sort
//     after every import, so that gofmt would reorder imports if a
//     template left that to it;
//   - "none": no component, the base service alone.
func AnswerSets(c *render.Catalog, prefixPort bool) (map[string]render.Answers, error) {
	def, err := c.Resolve(c.Defaults())
	if err != nil {
		return nil, err
	}
	every, err := c.Resolve(c.Names())
	if err != nil {
		return nil, err
	}
	all := render.Answers{Name: CheckName, Module: CheckModule, Components: every}
	if prefixPort {
		all.Prefix, all.Port = CheckPrefix, CheckPort
	}
	return map[string]render.Answers{
		"default": {Name: CheckName, Module: CheckModule, Components: def},
		"all":     all,
		"other":   {Name: CheckOtherName, Module: CheckOtherModule, Components: every},
		"none":    {Name: CheckName, Module: CheckModule, Components: []string{}},
	}, nil
}

// Check renders the answers and returns the sha256 of each file, by path.
func Check(c *render.Catalog, a render.Answers) (map[string]string, error) {
	files, err := c.Render(a)
	if err != nil {
		return nil, fmt.Errorf("rendering %v: %w", a.Components, err)
	}
	sums := make(map[string]string, len(files))
	for _, f := range files {
		sums[f.Path] = Hash(f.Data)
	}
	return sums, nil
}

// CheckSets renders every answer set; see Check.
func CheckSets(c *render.Catalog, sets map[string]render.Answers) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for name, a := range sets {
		sums, err := Check(c, a)
		if err != nil {
			return nil, fmt.Errorf("answers %s: %w", name, err)
		}
		out[name] = sums
	}
	return out, nil
}
