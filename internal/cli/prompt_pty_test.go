//go:build !windows

package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/hinshun/vt10x"

	"github.com/twelvefactor/twelve/internal/golden"
)

// terminalSession runs `twelve ARGS` with the real survey prompts on a
// pseudo-terminal, while user types at it as a person would, and returns
// the exit code and everything the terminal showed. A vt10x virtual
// terminal answers survey's cursor-position queries, as a real one does.
func terminalSession(t *testing.T, user func(c *expect.Console), args ...string) (int, string) {
	t.Helper()
	var screen bytes.Buffer
	var c *expect.Console
	// The virtual terminal's answers go back to twelve as typed keys.
	answer := writerFunc(func(p []byte) (int, error) { return c.Write(p) })
	term := vt10x.New(vt10x.WithWriter(answer), vt10x.WithSize(120, 40))
	c, err := expect.NewConsole(expect.WithStdout(term, &screen), expect.WithDefaultTimeout(20*time.Second))
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer c.Close()
	tty := c.Tty()

	typed := make(chan struct{})
	go func() {
		defer close(typed)
		user(c)
	}()

	s := &IOStreams{In: tty, Out: tty, ErrOut: tty, InTTY: true, OutTTY: true}
	f := testFactory(t, s)
	f.prompter = newSurveyPrompter(s)
	exited := make(chan int, 1)
	go func() { exited <- execute(context.Background(), f, args) }()
	<-typed
	var code int
	select {
	case code = <-exited:
	case <-time.After(20 * time.Second):
		t.Errorf("twelve still waits at a prompt after the last key; the terminal showed:\n%s", screen.String())
		for code = -1; code == -1; {
			c.Send("\x03") // Ctrl-C, until twelve gives up
			select {
			case code = <-exited:
			case <-time.After(time.Second):
			}
		}
	}
	tty.Close()
	c.ExpectEOF()
	return code, strings.ReplaceAll(screen.String(), "\r\n", "\n")
}

// expectString waits for s on the terminal, or fails the test, then lets
// the terminal settle: it shows what follows s until the output pauses, so
// that the virtual terminal has answered survey's cursor queries before the
// next key, as a real terminal would have long before a person types.
func expectString(t *testing.T, c *expect.Console, s string) {
	t.Helper()
	if _, err := c.ExpectString(s); err != nil {
		t.Errorf("the terminal never showed %q: %v", s, err)
	}
	c.Expect(expect.String("\x00 never shown"), expect.WithTimeout(200*time.Millisecond))
}

// Pressing Enter through every question gives the same service as the
// defaults without a terminal; an invalid name is refused at its prompt
// with the reason. Without -short, the service then passes make smoke.
func TestTerminalEnterThroughEveryPrompt(t *testing.T) {
	t.Chdir(t.TempDir())
	code, screen := terminalSession(t, func(c *expect.Console) {
		expectString(t, c, "Service name:")
		c.Send("Bad Name\r")
		expectString(t, c, `invalid service name "Bad Name"`)
		c.Send("ptysvc\r")
		expectString(t, c, "Go module path:")
		c.Send("\r")
		expectString(t, c, "healthcheck")
		c.Send("\r")
		expectString(t, c, "Environment prefix")
		c.Send("\r")
		expectString(t, c, "Default port:")
		c.Send("\r")
		expectString(t, c, "Create it?")
		c.Send("\r")
		expectString(t, c, "created ptysvc")
	}, "new")
	if code != 0 {
		t.Fatalf("exit %d; the terminal showed:\n%s", code, screen)
	}
	for _, want := range []string{"(ptysvc)", "multi-stage Dockerfile", "twelve will create ptysvc"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal did not show %q:\n%s", want, screen)
		}
	}

	var errOut bytes.Buffer
	s := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}
	if code := execute(context.Background(), testFactory(t, s), []string{"new", "ptysvc", "--dir", "defaults"}); code != 0 {
		t.Fatalf("twelve new ptysvc without a terminal: exit %d: %s", code, errOut.String())
	}
	made, defaults := golden.ReadTree(t, "ptysvc"), golden.ReadTree(t, "defaults")
	if len(made) != len(defaults) {
		t.Errorf("%d files from the prompts, %d from the defaults", len(made), len(defaults))
	}
	for p, f := range defaults {
		if g, ok := made[p]; !ok || !bytes.Equal(g.Data, f.Data) || g.Mode != f.Mode {
			t.Errorf("%s differs between the prompts' defaults and the flags' defaults", p)
		}
	}

	if testing.Short() {
		return
	}
	requireToolFor(t, "make")
	requireToolFor(t, "curl")
	cmd := exec.Command("make", "smoke")
	cmd.Dir = "ptysvc"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make smoke in the service made at the terminal: %v\n%s", err, out)
	}
}

// Ctrl-C at a question, or Esc, exits 130 and leaves nothing on disk.
func TestTerminalCancel(t *testing.T) {
	for _, tc := range []struct {
		name, at, key string
		short         bool // in the -short sample: each kind of prompt, and each key
	}{
		{"ctrl-c at components", "healthcheck", "\x03", true},
		{"esc at module path", "Go module path:", "\x1b", true},
		{"esc at components", "healthcheck", "\x1b", false},
		{"ctrl-c at port", "Default port:", "\x03", false},
		{"esc at confirmation", "Create it?", "\x1b", true},
	} {
		if testing.Short() && !tc.short {
			continue // each case waits for the terminal to settle at every prompt: seconds, not work
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, screen := terminalSession(t, func(c *expect.Console) {
				expectString(t, c, "Service name:")
				c.Send("svc\r")
				for _, q := range []string{"Go module path:", "healthcheck", "Environment prefix", "Default port:", "Create it?"} {
					expectString(t, c, q)
					if q == tc.at {
						c.Send(tc.key)
						break
					}
					c.Send("\r")
				}
				expectString(t, c, "cancelled at a prompt: nothing was written")
			}, "new")
			if code != 130 {
				t.Errorf("exit %d, want 130; the terminal showed:\n%s", code, screen)
			}
			if entries, _ := os.ReadDir("."); len(entries) != 0 {
				t.Errorf("a cancelled new left %v", entries)
			}
		})
	}
}

func requireToolFor(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed", name)
		}
		t.Skipf("%s is not installed", name)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Answers typed at the real prompts are checked as the flags are, and end up
// in the service.
func TestTerminalTypedAnswers(t *testing.T) {
	t.Chdir(t.TempDir())
	code, screen := terminalSession(t, func(c *expect.Console) {
		expectString(t, c, "Service name:")
		c.Send("typed\r")
		expectString(t, c, "Go module path:")
		c.Send("bad path\r")
		expectString(t, c, `invalid module path "bad path"`)
		c.Send("example.com/typed\r")
		expectString(t, c, "healthcheck")
		c.Send("\r")
		expectString(t, c, "Environment prefix")
		c.Send("lower\r")
		expectString(t, c, `invalid environment prefix "lower"`)
		c.Send("TYPED\r")
		expectString(t, c, "Default port:")
		c.Send("99999\r")
		expectString(t, c, `invalid port "99999"`)
		c.Send("9191\r")
		expectString(t, c, "Create it?")
		c.Send("y\r")
		expectString(t, c, "created typed")
	}, "new")
	if code != 0 {
		t.Fatalf("exit %d; the terminal showed:\n%s", code, screen)
	}
	m := readManifest(t, "typed")
	if m.Module != "example.com/typed" || m.Prefix != "TYPED_" || m.Port != 9191 {
		t.Errorf("manifest %+v does not hold the typed answers", m)
	}
}
