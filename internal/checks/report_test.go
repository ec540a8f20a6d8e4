package checks

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/golden"
)

// reportCases are the repositories whose reports are golden files under
// testdata/reports: one that passes, and some that fail and warn.
var reportCases = []string{"apps/flask-gunicorn", "VII-port-binding/fail", "X-backing-service-parity/fail", "III-secrets/fail"}

func report(t *testing.T, dir string) *Report {
	t.Helper()
	dir = filepath.Join("testdata", dir)
	rep, err := Check(os.DirFS(dir), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func goldenName(dir, ext string) string {
	return filepath.Join("testdata", "reports", strings.ReplaceAll(dir, "/", "_")+ext)
}

// TestReportGolden compares the JSON, SARIF and text reports with the
// golden files; go test -update rewrites them.
func TestReportGolden(t *testing.T) {
	for _, dir := range reportCases {
		t.Run(dir, func(t *testing.T) {
			rep := report(t, dir)
			var j, s, txt bytes.Buffer
			if err := rep.WriteJSON(&j); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteSARIF(&s, "v1.0.0", ""); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteText(&txt, false); err != nil {
				t.Fatal(err)
			}
			golden.Bytes(t, goldenName(dir, ".json"), j.Bytes())
			golden.Bytes(t, goldenName(dir, ".sarif"), s.Bytes())
			golden.Bytes(t, goldenName(dir, ".txt"), txt.Bytes())
		})
	}
}

// TestJSONSchema checks the documented shape of the JSON report: the 12
// factors in order, each with its title, status, rules and findings.
func TestJSONSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := report(t, "VII-port-binding/fail").WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files   int    `json:"files"`
		Status  string `json:"status"`
		Factors []struct {
			Factor, Title, Status string
			Rules                 []struct {
				ID, Title, Status string
				NAWhen            string `json:"na_when"`
			}
			Findings []map[string]any
		}
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != "fail" || len(doc.Factors) != 12 || doc.Files != 11 {
		t.Fatalf("status %q, %d factors, %d files", doc.Status, len(doc.Factors), doc.Files)
	}
	for i, f := range doc.Factors {
		if f.Factor != factors[i] || f.Title != factorTitles[i] || f.Status == "" || f.Findings == nil || len(f.Rules) == 0 {
			t.Errorf("factor %d: %+v", i, f)
		}
		for _, r := range f.Rules {
			if r.ID == "" || r.Title == "" || r.Status == "" || r.NAWhen == "" {
				t.Errorf("rule: %+v", r)
			}
		}
		for _, r := range f.Rules {
			if r.ID == "" || r.Title == "" || r.Status == "" || r.NAWhen == "" {
				t.Errorf("rule: %+v", r)
			}
		}
		for _, fi := range f.Findings {
			for _, k := range []string{"rule", "status", "message", "file", "line"} {
				if _, ok := fi[k]; !ok {
					t.Errorf("finding without %s: %v", k, fi)
				}
			}
		}
	}
	if vii := doc.Factors[6]; vii.Status != "fail" || len(vii.Findings) != 13 {
		t.Errorf("VII: %s with %d findings", vii.Status, len(vii.Findings))
	}
}

// TestSARIF checks the SARIF log against the properties that the SARIF
// 2.1.0 schema requires, and that code scanning needs to place a result.
func TestSARIF(t *testing.T) {
	for _, dir := range reportCases {
		var buf bytes.Buffer
		if err := report(t, dir).WriteSARIF(&buf, "v1.0.0", ""); err != nil {
			t.Fatal(err)
		}
		var log map[string]any
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if log["version"] != "2.1.0" {
			t.Errorf("%s: version %v", dir, log["version"])
		}
		runs, _ := log["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("%s: %d runs", dir, len(runs))
		}
		run := runs[0].(map[string]any)
		driver, _ := dig(run, "tool", "driver").(map[string]any)
		if driver == nil || driver["name"] != "twelve" {
			t.Fatalf("%s: tool.driver %v", dir, driver)
		}
		ids := map[string]int{}
		rules, _ := driver["rules"].([]any)
		for i, r := range rules {
			id, _ := r.(map[string]any)["id"].(string)
			if id == "" {
				t.Errorf("%s: rule %d without id", dir, i)
			}
			ids[id] = i
		}
		if len(ids) != len(Rules()) {
			t.Errorf("%s: %d rules, want %d", dir, len(ids), len(Rules()))
		}
		results, ok := run["results"].([]any)
		if !ok {
			t.Fatalf("%s: no results array", dir)
		}
		want := len(report(t, dir).Findings())
		if len(results) != want {
			t.Errorf("%s: %d results, want %d", dir, len(results), want)
		}
		for _, res := range results {
			r := res.(map[string]any)
			id, _ := r["ruleId"].(string)
			if i, ok := ids[id]; !ok || r["ruleIndex"] != float64(i) {
				t.Errorf("%s: ruleId %q, ruleIndex %v", dir, id, r["ruleIndex"])
			}
			if l := r["level"]; l != "error" && l != "warning" {
				t.Errorf("%s: level %v", dir, l)
			}
			if text, _ := dig(r, "message", "text").(string); text == "" {
				t.Errorf("%s: result without message.text", dir)
			}
			locs, _ := r["locations"].([]any)
			if len(locs) != 1 {
				t.Errorf("%s: %d locations", dir, len(locs))
				continue
			}
			if uri, _ := dig(locs[0], "physicalLocation", "artifactLocation", "uri").(string); uri == "" || strings.HasPrefix(uri, "/") {
				t.Errorf("%s: uri %q is not relative", dir, uri)
			}
			if region := dig(locs[0], "physicalLocation", "region"); region != nil {
				if line, _ := dig(region, "startLine").(float64); line < 1 {
					t.Errorf("%s: startLine %v", dir, line)
				}
			}
		}
	}
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestWriteTextColour(t *testing.T) {
	rep := report(t, "VII-port-binding/fail")
	var plain, colour bytes.Buffer
	if err := rep.WriteText(&plain, false); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteText(&colour, true); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("plain text holds escape sequences")
	}
	if !bytes.Contains(colour.Bytes(), []byte("\x1b[31mfail")) {
		t.Errorf("no red fail in\n%s", colour.String())
	}
	for _, l := range strings.Split(plain.String(), "\n") {
		if strings.TrimRight(l, " ") != l {
			t.Errorf("trailing spaces: %q", l)
		}
	}
	// The colours take no room: without its escapes, the coloured text is
	// the plain one, columns and all.
	if got := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(colour.String(), ""); got != plain.String() {
		t.Errorf("coloured text, escapes removed:\n%s\nplain:\n%s", got, plain.String())
	}
}

func TestFailed(t *testing.T) {
	rep := report(t, "X-backing-service-parity/fail") // warns only
	if got := rep.Failed(false); len(got) != 0 {
		t.Errorf("Failed(false) = %q", got)
	}
	// X's fixture of an SQLite default and of per-environment config files
	// warns under III, IV and VI too.
	if got, want := rep.Failed(true), []string{"III", "IV", "VI", "X"}; !slices.Equal(got, want) {
		t.Errorf("Failed(true) = %q, want %q", got, want)
	}
	if got := report(t, "VII-port-binding/fail").Failed(false); len(got) != 1 || got[0] != "VII" {
		t.Errorf("Failed(false) = %q, want [VII]", got)
	}
}

func TestSARIFPrefix(t *testing.T) {
	var buf bytes.Buffer
	if err := report(t, "VII-port-binding/fail").WriteSARIF(&buf, "", "services/api"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"uri": "services/api/internal/web/web.go"`)) {
		t.Errorf("no prefixed uri in\n%s", buf.String())
	}
}

// What could not be read is in the JSON report and, as tool execution
// notifications (invocations[].toolExecutionNotifications, SARIF 2.1.0
// §3.20.21), in the SARIF log: a CI job that gets exit 4 can say why.
func TestUnreadInJSONAndSARIF(t *testing.T) {
	rep := &Report{Unread: []string{"a/b: permission denied"}}
	var js, sarif bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Unread []string }
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Unread) != 1 || doc.Unread[0] != "a/b: permission denied" {
		t.Errorf("JSON unread = %v, %v:\n%s", doc.Unread, err, js.String())
	}
	if err := rep.WriteSARIF(&sarif, "v1.0.0", ""); err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log["runs"].([]any)[0]
	invs, _ := dig(run, "invocations").([]any)
	if len(invs) != 1 {
		t.Fatalf("%d invocations, want 1:\n%s", len(invs), sarif.String())
	}
	if ok, _ := dig(invs[0], "executionSuccessful").(bool); !ok {
		t.Errorf("executionSuccessful is not true (required by the schema; the run did finish)")
	}
	notes, _ := dig(invs[0], "toolExecutionNotifications").([]any)
	if len(notes) != 1 || dig(notes[0], "message", "text") != "not read: a/b: permission denied" || dig(notes[0], "level") != "warning" {
		t.Errorf("notifications %v", notes)
	}
	// With everything read, neither says anything of it.
	js.Reset()
	sarif.Reset()
	(&Report{}).WriteJSON(&js)
	(&Report{}).WriteSARIF(&sarif, "v1.0.0", "")
	if strings.Contains(js.String(), "unread") || strings.Contains(sarif.String(), "invocations") {
		t.Errorf("an audit that read everything reports unread parts:\n%s\n%s", js.String(), sarif.String())
	}
}
