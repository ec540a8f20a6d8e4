package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSplitCommands(t *testing.T) {
	for line, want := range map[string][]string{
		`exec "$(dirname "$0")/bin/app" "$@"`: {`[exec "$(dirname "$0")/bin/app" "$@"]`},
		`a && b || c; d | e`:                  {`[a]`, `[b]`, `[c]`, `[d]`, `[e]`},
		`./app & echo $! > app.pid`:           {`[./app] &`, `[echo $! > app.pid]`},
		`app >log 2>&1 &>x <&3 &`:             {`[app >log 2>&1 &>x <&3] &`},
		`echo 'a # b' "c;d" e\ f # comment`:   {`[echo 'a # b' "c;d" e\ f]`},
		`echo "a \" & b" &`:                   {`[echo "a \" & b"] &`},
		`echo a#b`:                            {`[echo a#b]`},
		`# only a comment`:                    nil,
	} {
		var got []string
		for _, c := range splitCommands(line) {
			s := fmt.Sprint(c.Words)
			if c.Background {
				s += " &"
			}
			got = append(got, s)
		}
		if !slices.Equal(got, want) {
			t.Errorf("splitCommands(%s) = %q, want %q", line, got, want)
		}
	}
}

func TestExecsProgram(t *testing.T) {
	for line, want := range map[string]bool{
		`exec ./app`:                      true,
		`exec "$(dirname "$0")/app" "$@"`: true,
		`exec -a web ./app`:               true,
		`exec >/dev/null 2>&1 ./app`:      true,
		`exec 2>&1`:                       false,
		`exec > out.txt`:                  false,
		`exec -a web`:                     false,
		`./app`:                           false,
		`then exec ./app`:                 true,
		`web) exec ./app ;;`:              true,
	} {
		cmds := splitCommands(line)
		if got := execsProgram(cmds[0].program()); got != want {
			t.Errorf("execsProgram(%s) = %v, want %v", line, got, want)
		}
	}
}

func TestLogFile(t *testing.T) {
	for line, want := range map[string]string{
		`app > app.log`:              "app.log",
		`app >>/var/log/x.log 2>&1`:  "/var/log/x.log",
		`app 2> "err.log"`:           "err.log",
		`app &>>x.log`:               "x.log",
		`tee -a x.log`:               "x.log",
		`exec > >(tee app.log) 2>&1`: "app.log",
		`app > /dev/null`:            "",
		`cat app.log`:                "",
		`echo "> app.log"`:           "",
		`app < input.log`:            "",
	} {
		for _, c := range splitCommands(line) {
			if got := logFile(c.Words); got != want {
				t.Errorf("logFile(%s) = %q, want %q", line, got, want)
			}
		}
	}
}

// TestForwardedBackgroundJob checks that a start script which traps TERM,
// passes it on to the app it runs in the background and waits for it is
// not told that the app gets no signals (issue 19); one that does not is.
func TestForwardedBackgroundJob(t *testing.T) {
	forwarding := "#!/bin/sh\nstop() { kill -TERM \"$PID\"; }\nif [ \"$GRACE\" = 1 ]; then\n  trap stop TERM INT\n  setsid ./app &\n  PID=$!\n  wait $PID\nelse\n  exec ./app\nfi\n"
	for script, want := range map[string]int{
		forwarding:                            0,
		"#!/bin/sh\n./app &\nexec ./worker\n": 1,
	} {
		r, err := Load(fstest.MapFS{"run.sh": {Data: []byte(script), Mode: 0o755}})
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, f := range runScriptExec.Check(r) {
			if strings.Contains(f.Message, "background") {
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d background findings, want %d", script, got, want)
		}
	}
}
