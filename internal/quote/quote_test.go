package quote

import (
	"os/exec"
	"strings"
	"testing"
)

var cases = []struct{ in, arg, text string }{
	{"svc", "svc", "svc"},
	{"services/billing/go.mod", "services/billing/go.mod", "services/billing/go.mod"},
	{"café", "café", "café"},
	{"", "''", ""},
	{"my service", "'my service'", "my service"},
	{"$(id)", "'$(id)'", "$(id)"},
	{"`id`;rm -rf ~", "'`id`;rm -rf ~'", "`id`;rm -rf ~"},
	{"it's", `'it'\''s'`, "it's"},
	{"x\x1b[31mred", `$'x\x1b[31mred'`, `x\x1b[31mred`},
	{"bell\a", `$'bell\a'`, `bell\a`},
	{"over\rwrite", `$'over\rwrite'`, `over\rwrite`},
	{"two\nlines", `$'two\nlines'`, `two\nlines`},
	{"del\x7f", `$'del\x7f'`, `del\x7f`},
	{"c1\u009b31m", `$'c1\u009b31m'`, `c1\u009b31m`},
	{"bidi\u202egnp.go", `$'bidi\u202egnp.go'`, `bidi\u202egnp.go`},
	{"bad\xffutf8", `$'bad\xffutf8'`, `bad\xffutf8`},
	{"it's\x1b $(id)", `$'it\'s\x1b $(id)'`, `it's\x1b $(id)`},
	{`back\slash`, `'back\slash'`, `back\slash`},
	{"back\\\x07", `$'back\\\a'`, `back\` + `\a`},
}

func TestArgAndText(t *testing.T) {
	for _, c := range cases {
		if got := Arg(c.in); got != c.arg {
			t.Errorf("Arg(%q) = %s, want %s", c.in, got, c.arg)
		}
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %s, want %s", c.in, got, c.text)
		}
		for _, out := range []string{Arg(c.in), Text(c.in)} {
			if i := strings.IndexFunc(out, func(r rune) bool { return !visible(r) }); i >= 0 {
				t.Errorf("%q gives %q, which holds a control character at %d", c.in, out, i)
			}
		}
	}
}

// What Arg prints, pasted into bash, is the value itself: never run,
// never split.
func TestArgRoundTripsThroughBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, c := range cases {
		out, err := exec.Command(bash, "-c", "printf %s "+Arg(c.in)).Output()
		if err != nil {
			t.Errorf("bash -c 'printf %%s %s': %v", Arg(c.in), err)
			continue
		}
		if string(out) != c.in {
			t.Errorf("bash reads %s as %q, want %q", Arg(c.in), out, c.in)
		}
	}
}
