package checks

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"text/tabwriter"

	"github.com/twelvefactor/twelve/internal/quote"
)

// Report is the verdict of an audit: one entry per factor, I to XII.
type Report struct {
	Files   int            `json:"files"` // how many files were audited
	Factors []FactorReport `json:"factors"`
	// Unread are the folders and files that could not be read ("PATH:
	// reason"): the verdicts do not cover them.
	Unread []string `json:"unread,omitempty"`
}

// FactorReport is the verdict on one factor: the worst status of its rules,
// n/a when none applies.
type FactorReport struct {
	Factor   string       `json:"factor"` // the roman numeral: "IX"
	Title    string       `json:"title"`  // "Disposability"
	Status   Status       `json:"status"`
	Rules    []RuleReport `json:"rules"`
	Findings []Finding    `json:"findings"`
}

// RuleReport is the verdict of one rule.
type RuleReport struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	NA     string `json:"na_when"` // when the rule does not apply
}

// Findings returns the findings of every factor, in factor order.
func (rep *Report) Findings() []Finding {
	var out []Finding
	for _, f := range rep.Factors {
		out = append(out, f.Findings...)
	}
	return out
}

// Failed returns the factors that fail; with strict, those that warn too.
func (rep *Report) Failed(strict bool) []string {
	var out []string
	for _, f := range rep.Factors {
		if f.Status == Fail || strict && f.Status == Warn {
			out = append(out, f.Factor)
		}
	}
	return out
}

// WriteJSON writes the report as indented JSON:
//
//	{"status": "fail", "files": 42, "factors": [{"factor": "IX", "title": "Disposability",
//	  "status": "fail", "rules": [{"id", "title", "status"}],
//	  "findings": [{"rule", "status", "message", "file", "line"}]}],
//	  "unread": ["PATH: reason"]}
func (rep *Report) WriteJSON(w io.Writer) error {
	status := NA
	for _, f := range rep.Factors {
		status = worstStatus(status, f.Status)
	}
	out := struct {
		Status  Status         `json:"status"`
		Files   int            `json:"files"`
		Factors []FactorReport `json:"factors"`
		Unread  []string       `json:"unread,omitempty"` // what could not be read: exit 4
	}{status, rep.Files, rep.Factors, rep.Unread}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// ANSI colours of the statuses, on a terminal.
var colours = map[Status]string{Pass: "\x1b[32m", Warn: "\x1b[33m", Fail: "\x1b[31m", NA: "\x1b[2m"}

// WriteText writes the report for a person: a table of the factors, then
// the findings, one a line, and a summary. With colour, statuses are
// coloured with ANSI escapes.
func (rep *Report) WriteText(w io.Writer, colour bool) error {
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "FACTOR\tSTATUS\tTITLE\tFINDINGS\n")
	count := map[Status]int{}
	for _, f := range rep.Factors {
		count[f.Status]++
		n := ""
		if len(f.Findings) > 0 {
			n = fmt.Sprint(len(f.Findings))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Factor, f.Status, f.Title, n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// The statuses are coloured once the columns are laid out, so that
	// the escapes take no room in them.
	lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
	col := strings.Index(lines[0], "STATUS")
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if colour && i > 0 {
			s := string(rep.Factors[i-1].Status)
			l = l[:col] + colours[rep.Factors[i-1].Status] + s + "\x1b[0m" + l[col+len(s):]
		}
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	if fs := rep.Findings(); len(fs) > 0 {
		fmt.Fprintln(w)
		for _, f := range fs {
			// A file's name, and a message that quotes a repository's
			// text, reach the terminal with no control character, the
			// name quoted as a shell word when it needs to be.
			shown := f
			if shown.File != "" {
				shown.File = quote.Arg(f.File)
			}
			s := quote.Text(shown.String())
			if colour {
				s = strings.Replace(s, " "+string(f.Status)+" ", " "+colours[f.Status]+string(f.Status)+"\x1b[0m ", 1)
			}
			fmt.Fprintln(w, s)
		}
	}
	if len(rep.Unread) > 0 {
		fmt.Fprintln(w)
		for _, u := range rep.Unread {
			fmt.Fprintf(w, "not read: %s: the verdicts above do not cover it\n", u)
		}
	}
	files := "files"
	if rep.Files == 1 {
		files = "file"
	}
	_, err := fmt.Fprintf(w, "\n%d pass, %d warn, %d fail, %d n/a (%d %s)\n", count[Pass], count[Warn], count[Fail], count[NA], rep.Files, files)
	return err
}

// SARIF 2.1.0, the subset that code scanning reads.
type (
	sarifLog struct {
		Version string     `json:"version"`
		Schema  string     `json:"$schema"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Results     []sarifResult     `json:"results"`
		Invocations []sarifInvocation `json:"invocations,omitempty"`
	}
	// sarifInvocation says what could not be read, as notifications.
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
		FullDescription  sarifMessage `json:"fullDescription"`
		HelpURI          string       `json:"helpUri"`
		Properties       struct {
			Tags []string `json:"tags"`
		} `json:"properties"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *sarifRegion `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// WriteSARIF writes the report as a SARIF 2.1.0 log, which GitHub code
// scanning shows inline: every rule in tool.driver.rules, every finding a
// result with its location. version is twelve's own; prefix is the slash
// path of the audited folder in its repository ("" at the root), which the
// locations need to be relative to the repository's root.
func (rep *Report) WriteSARIF(w io.Writer, version, prefix string) error {
	driver := sarifDriver{Name: "twelve", InformationURI: "https://github.com/twelvefactor/twelve", Version: version, Rules: []sarifRule{}}
	index := map[string]int{}
	for i, f := range rep.Factors {
		for _, r := range f.Rules {
			sr := sarifRule{ID: r.ID, ShortDescription: sarifMessage{Text: r.Title}, FullDescription: sarifMessage{Text: fmt.Sprintf("Factor %s, %s: %s. Does not apply when %s.", f.Factor, f.Title, r.Title, r.NA)}, HelpURI: "https://12factor.net/" + factorPages[i]}
			sr.Properties.Tags = []string{"twelve-factor", "factor-" + f.Factor}
			index[r.ID] = len(driver.Rules)
			driver.Rules = append(driver.Rules, sr)
		}
	}
	results := []sarifResult{}
	for _, f := range rep.Findings() {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: "warning", Message: sarifMessage{Text: f.Message}}
		if f.Status == Fail {
			res.Level = "error"
		}
		if f.File != "" {
			var loc sarifLocation
			loc.PhysicalLocation.ArtifactLocation.URI = path.Join(prefix, f.File)
			loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
			if f.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line}
			}
			res.Locations = []sarifLocation{loc}
		}
		results = append(results, res)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: results}
	if len(rep.Unread) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, u := range rep.Unread {
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: "not read: " + u}})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	log := sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}
