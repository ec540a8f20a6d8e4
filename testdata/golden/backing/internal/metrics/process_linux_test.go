package metrics

import "testing"

func TestParseStat(t *testing.T) {
	// A command name may hold spaces and parentheses.
	line := "4242 (svc) (x y)) S 1 4242 4242 0 -1 4194560 1207 0 0 0 3 5 0 0 20 0 7 0 123456 1258291200 2048 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0\n"
	got, ok := parseStat([]byte(line))
	if want := (stat{start: 123456, vsize: 1258291200, rss: 2048}); !ok || got != want {
		t.Errorf("parseStat = %+v, %v; want %+v", got, ok, want)
	}
	for _, bad := range []string{"", "4242 (svc S 1", "4242 (svc) S 1 2 3", "4242 (svc) S 1 4242 4242 0 -1 4194560 1207 0 0 0 3 5 0 0 20 0 7 0 x 1 2"} {
		if got, ok := parseStat([]byte(bad)); ok {
			t.Errorf("parseStat(%q) = %+v, want not ok", bad, got)
		}
	}
}

func TestParseBootTime(t *testing.T) {
	got, ok := parseBootTime([]byte("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"))
	if !ok || got != 1700000000 {
		t.Errorf("parseBootTime = %d, %v; want 1700000000", got, ok)
	}
	if _, ok := parseBootTime([]byte("cpu  1 2 3\n")); ok {
		t.Error("parseBootTime without btime is ok")
	}
}
