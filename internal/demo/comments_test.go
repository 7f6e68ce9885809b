package demo

import (
	"slices"
	"testing"

	"github.com/haocha/haocha/internal/theme"
)

// The demo's complaints are many and each is found under its own theme,
// so the reports' theme tables show what the demo meant.
func TestComplaintsFindTheirThemes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range complaints {
		seen[c.text] = true
		th := complaintThemes[c.theme]
		if got := theme.Default().Match(c.text, nil); !slices.Contains(got, th.code) {
			t.Errorf("%q: themes %v, want %s among them", c.text, got, th.code)
		}
	}
	if len(seen) < 200 || len(complaintThemes) != len(theme.Default().Themes) {
		t.Errorf("%d distinct complaints over %d themes; want 200 or more over all %d",
			len(seen), len(complaintThemes), len(theme.Default().Themes))
	}
}
