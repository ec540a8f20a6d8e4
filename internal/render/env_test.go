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
