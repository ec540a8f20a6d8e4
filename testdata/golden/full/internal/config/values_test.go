package config

import "testing"

func TestSwitch(t *testing.T) {
	for text, want := range map[string]bool{"on": true, "true": true, "1": true, "off": false, "false": false, "0": false} {
		s := Switch(!want)
		if err := s.UnmarshalText([]byte(text)); err != nil || bool(s) != want {
			t.Errorf("%q: %v, %v; want %v", text, s, err, want)
		}
	}
	var s Switch
	if err := s.UnmarshalText([]byte("maybe")); err == nil {
		t.Error("maybe: no error")
	}
}
