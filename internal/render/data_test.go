package render

import "testing"

func TestStopSecondsExceedsShutdown(t *testing.T) {
	for _, tt := range []struct {
		delay, timeout string
		want           int
	}{
		{"5s", "10s", 20},
		{"0s", "0s", 5},
		{"1500ms", "1m", 67},
		{"100ms", "100ms", 6}, // rounded up, never below delay + timeout
	} {
		c := &Catalog{}
		c.base.Vars = []Var{{Name: "SHUTDOWN_DELAY", Default: tt.delay}, {Name: "SHUTDOWN_TIMEOUT", Default: tt.timeout}}
		d := c.data(Answers{Name: "svc", Prefix: "SVC_"})
		got, err := d.StopSeconds()
		if err != nil || got != tt.want {
			t.Errorf("StopSeconds with delay %s, timeout %s = %d, %v; want %d", tt.delay, tt.timeout, got, err, tt.want)
		}
	}
}

func TestStopSecondsErrors(t *testing.T) {
	for _, vars := range [][]Var{
		{{Name: "SHUTDOWN_DELAY", Default: "5s"}},
		{{Name: "SHUTDOWN_DELAY", Default: "5s"}, {Name: "SHUTDOWN_TIMEOUT", Default: "ten seconds"}},
	} {
		c := &Catalog{}
		c.base.Vars = vars
		if got, err := c.data(Answers{Name: "svc"}).StopSeconds(); err == nil {
			t.Errorf("StopSeconds with %v = %d, want an error", vars, got)
		}
	}
}

func TestDefaultFindsPrefixedVariables(t *testing.T) {
	c := &Catalog{}
	c.base.Vars = []Var{{Name: "PORT", Default: "8000"}}
	d := c.data(Answers{Name: "svc", Prefix: "SVC_"})
	if got, err := d.Default("PORT"); err != nil || got != "8000" {
		t.Errorf("Default(PORT) = %q, %v; want 8000", got, err)
	}
	if _, err := d.Default("SVC_PORT"); err == nil {
		t.Error("Default of a prefixed name: no error, want the name from service.json")
	}
}
