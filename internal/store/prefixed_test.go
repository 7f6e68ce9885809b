package store

import "testing"

func TestPrefixed(t *testing.T) {
	got := prefixed("o.", "id, COALESCE(unit, ''),\n\tstate")
	if want := "o.id, COALESCE(o.unit, ''), o.state"; got != want {
		t.Errorf("prefixed = %q, want %q", got, want)
	}
}
