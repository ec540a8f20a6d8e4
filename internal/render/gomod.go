package render

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// ModuleSets is templates/modules.json: for each set of components that
// import Go modules, the requirements and go.sum lines that `go mod tidy`
// writes for it. `make modules` regenerates it from the components' pinned
// modules; generation itself stays offline.
type ModuleSets struct {
	Comment string      `json:"comment"`
	Sets    []ModuleSet `json:"sets"`
}

type ModuleSet struct {
	Components []string  `json:"components"` // sorted; only components with modules
	Require    []Require `json:"require"`
	Sum        []string  `json:"sum"`
}

type Require struct {
	Path     string `json:"path"`
	Version  string `json:"version"`
	Indirect bool   `json:"indirect,omitempty"`
}

// moduleKey returns the components among names that import Go modules, which
// is what selects a module set.
func (c *Catalog) moduleKey(names []string) []string {
	var key []string
	for _, n := range names {
		if comp := c.components[n]; comp != nil && len(comp.Modules) > 0 {
			key = append(key, n)
		}
	}
	slices.Sort(key)
	return key
}

// goModule builds go.mod with x/mod/modfile and go.sum for the service.
func (c *Catalog) goModule(d Data) (mod, sum []byte, err error) {
	key := c.moduleKey(d.Components)
	modules, err := c.modules()
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(modules.Sets, func(s ModuleSet) bool { return slices.Equal(s.Components, key) })
	if i < 0 {
		return nil, nil, fmt.Errorf("no pinned modules for components [%s]: run `make modules`", strings.Join(key, " "))
	}
	set := modules.Sets[i]
	mod, err = GoMod(d.Module, c.base.GoVersion, set.Require)
	if err != nil {
		return nil, nil, err
	}
	if len(set.Sum) > 0 {
		sum = []byte(strings.Join(set.Sum, "\n") + "\n")
	}
	return mod, sum, nil
}

// GoMod writes a go.mod for module path at go version with the requirements,
// direct and indirect in separate blocks as `go mod tidy` writes them.
func GoMod(path, goVersion string, reqs []Require) ([]byte, error) {
	if err := module.CheckImportPath(path); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	f := new(modfile.File)
	if err := f.AddModuleStmt(path); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := f.AddGoStmt(goVersion); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	var list []*modfile.Require
	for _, r := range reqs {
		mr := &modfile.Require{Indirect: r.Indirect}
		mr.Mod.Path, mr.Mod.Version = r.Path, r.Version
		list = append(list, mr)
	}
	// The same call that `go mod tidy` makes: direct requirements in one
	// block, indirect ones in another.
	f.SetRequireSeparateIndirect(list)
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// BaseModules returns the Go modules that every service imports, pinned.
func (c *Catalog) BaseModules() map[string]string { return c.base.Modules }

// GoVersion returns the go directive of generated go.mod files.
func (c *Catalog) GoVersion() string { return c.base.GoVersion }
