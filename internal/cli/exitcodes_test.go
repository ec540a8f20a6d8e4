package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's table of exit codes and the one in every command's help say
// the same codes.
func TestREADMEListsTheExitCodes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`(?m)^  (\d+) `).FindAllStringSubmatch(exitCodesHelp, -1)
	if len(codes) != 6 {
		t.Fatalf("exitCodesHelp lists %d codes, want 6", len(codes))
	}
	for _, c := range codes {
		if !strings.Contains(string(readme), "\n| "+c[1]+" | ") {
			t.Errorf("README.md has no row for exit code %s", c[1])
		}
	}
	for code, want := range map[int]string{exitOK: "0", exitFailure: "1", exitUsage: "2", exitConflicts: "3", exitPartial: "4", exitInterrupt: "130"} {
		if !strings.Contains(exitCodesHelp, "\n  "+want+" ") && !strings.HasPrefix(exitCodesHelp, "  "+want) {
			t.Errorf("exit code %d is missing from the help's table", code)
		}
	}
}
