package render

import "testing"

func TestPrefixRenamesPrefixableVariables(t *testing.T) {
	c := &Catalog{components: map[string]*Component{
		"db": {Name: "db", Vars: []Var{{Name: "DATABASE_URL", Group: "DB", Unprefixed: true}}},
	}}
	c.base.Vars = []Var{{Name: "PORT", Group: "HTTP"}, {Name: "LOG_LEVEL", Group: "Log"}}
	d := c.data(Answers{Name: "svc", Module: "svc", Components: []string{"db"}, Prefix: "SVC_"})
	for base, want := range map[string]string{"PORT": "SVC_PORT", "LOG_LEVEL": "SVC_LOG_LEVEL", "DATABASE_URL": "DATABASE_URL"} {
		if got, err := d.Env(base); err != nil || got != want {
			t.Errorf("Env(%q) = %q, %v; want %q", base, got, err, want)
		}
	}
	if d.Groups[0].Vars[0].Name != "SVC_PORT" {
		t.Errorf("groups hold %q, want the prefixed name", d.Groups[0].Vars[0].Name)
	}
	if c.base.Vars[0].Name != "PORT" {
		t.Errorf("the catalog's variable was renamed to %q", c.base.Vars[0].Name)
	}
	if _, err := d.Env("NOPE"); err == nil {
		t.Error("Env of an unknown variable: no error")
	}
}

func TestPortChangesPortsDefault(t *testing.T) {
	c := &Catalog{components: map[string]*Component{}}
	c.base.Vars = []Var{{Name: "PORT", Group: "HTTP", Default: "8000"}, {Name: "HOST", Group: "HTTP", Default: "127.0.0.1"}}
	for port, want := range map[int]string{0: "8000", 9090: "9090"} {
		d := c.data(Answers{Name: "svc", Module: "svc", Port: port, Prefix: "SVC_"})
		if got, err := d.Default("PORT"); err != nil || got != want {
			t.Errorf("port %d: Default(PORT) = %q, %v; want %q", port, got, err, want)
		}
		if got, _ := d.Default("HOST"); got != "127.0.0.1" {
			t.Errorf("port %d: Default(HOST) = %q, want it unchanged", port, got)
		}
		if d.Groups[0].Vars[0].Default != want {
			t.Errorf("port %d: groups hold default %q, want %q", port, d.Groups[0].Vars[0].Default, want)
		}
	}
	if c.base.Vars[0].Default != "8000" {
		t.Errorf("the catalog's default was changed to %q", c.base.Vars[0].Default)
	}
	if _, err := (Data{}).Default("NOPE"); err == nil {
		t.Error("Default of an unknown variable: no error")
	}
}
