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

// expectString waits for s on the terminal, or fails the test.
func expectString(t *testing.T, c *expect.Console, s string) {
	t.Helper()
	if _, err := c.ExpectString(s); err != nil {
		t.Errorf("the terminal never showed %q: %v", s, err)
	}
}

// expectPrompt waits for a text or yes/no question, and then until survey
// reads keys there. Survey draws the question, then asks the terminal for
// its size and for the cursor's place (two ESC [ 6n queries) and reads the
// answers; a key that arrives in the same read as an answer is dropped
// (survey reads the answer through a bufio.Reader it then discards). A
// person types long after; the test waits until survey has read the
// virtual terminal's last answer.
func expectPrompt(t *testing.T, c *expect.Console, question string) {
	t.Helper()
	expectString(t, c, question)
	expectString(t, c, "\x1b[?25h\x1b[6n")
	// The answer is written by now; the kernel moves it to the terminal's
	// input queue a moment later.
	pause(c, 20*time.Millisecond)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		n, ok := inputQueued(c.Tty())
		if !ok {
			pause(c, 200*time.Millisecond)
			return
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("twelve did not read the terminal's answer at %q", question)
			return
		}
	}
}

// expectList waits for the components list and until it is drawn (the
// output pauses); survey puts the terminal in raw mode right after, with
// no answer to wait for.
func expectList(t *testing.T, c *expect.Console, item string) {
	t.Helper()
	expectString(t, c, item)
	pause(c, 50*time.Millisecond)
}

// pause shows what the terminal prints until it has printed nothing for d.
func pause(c *expect.Console, d time.Duration) {
	c.Expect(expect.String("\x00 never shown"), expect.WithTimeout(d))
}

// Pressing Enter through every question gives the same service as the
// defaults without a terminal; an invalid name is refused at its prompt
// with the reason. Without -short, the service then passes make smoke.
func TestTerminalEnterThroughEveryPrompt(t *testing.T) {
	t.Chdir(t.TempDir())
	code, screen := terminalSession(t, func(c *expect.Console) {
		expectPrompt(t, c, "Service name:")
		c.Send("Bad Name\r")
		expectPrompt(t, c, `invalid service name "Bad Name"`)
		c.Send("ptysvc\r")
		expectPrompt(t, c, "Go module path:")
		c.Send("\r")
		expectList(t, c, "healthcheck")
		c.Send("\r")
		expectPrompt(t, c, "Environment prefix")
		c.Send("\r")
		expectPrompt(t, c, "Default port:")
		c.Send("\r")
		expectPrompt(t, c, "Create it?")
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
	for _, tc := range []struct{ name, at, key string }{
		{"ctrl-c at components", "healthcheck", "\x03"},
		{"esc at module path", "Go module path:", "\x1b"},
		{"esc at components", "healthcheck", "\x1b"},
		{"ctrl-c at port", "Default port:", "\x03"},
		{"esc at confirmation", "Create it?", "\x1b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, screen := terminalSession(t, func(c *expect.Console) {
				expectPrompt(t, c, "Service name:")
				c.Send("svc\r")
				for _, q := range []string{"Go module path:", "healthcheck", "Environment prefix", "Default port:", "Create it?"} {
					if q == "healthcheck" {
						expectList(t, c, q)
					} else {
						expectPrompt(t, c, q)
					}
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
		expectPrompt(t, c, "Service name:")
		c.Send("typed\r")
		expectPrompt(t, c, "Go module path:")
		c.Send("bad path\r")
		expectPrompt(t, c, `invalid module path "bad path"`)
		c.Send("example.com/typed\r")
		expectList(t, c, "healthcheck")
		c.Send("\r")
		expectPrompt(t, c, "Environment prefix")
		c.Send("lower\r")
		expectPrompt(t, c, `invalid environment prefix "lower"`)
		c.Send("TYPED\r")
		expectPrompt(t, c, "Default port:")
		c.Send("99999\r")
		expectPrompt(t, c, `invalid port "99999"`)
		c.Send("9191\r")
		expectPrompt(t, c, "Create it?")
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
