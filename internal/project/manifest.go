// Package project knows a service that twelve made: its manifest, which files
// twelve owns, and how to write a tree to disk without leaving half of it.
package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/twelvefactor/twelve/internal/render"
)

// ManifestFile is the manifest's name at the root of a generated service.
const ManifestFile = ".twelve.json"

// Manifest records how a service was made, so that `twelve add` knows the
// project and can tell the files it owns from the user's edits.
type Manifest struct {
	Twelve     string            `json:"twelve"`           // twelve's version that wrote the manifest
	Name       string            `json:"name"`             // the service's name
	Module     string            `json:"module"`           // its Go module path
	Components []string          `json:"components"`       // sorted
	Prefix     string            `json:"prefix,omitempty"` // the environment prefix, e.g. BILLING_
	Port       int               `json:"port,omitempty"`   // PORT's default, when not service.json's
	Files      map[string]string `json:"files"`            // path -> sha256 of the content twelve wrote
}

// NewManifest describes files rendered for answers by twelve at version.
func NewManifest(version string, a render.Answers, files []render.File) Manifest {
	m := Manifest{
		Twelve:     version,
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
