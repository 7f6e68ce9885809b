package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeBack checks that whatever a link carries in back, the redirect
// stays on this site as a browser would read it: browsers drop tabs and
// newlines and take a backslash for a slash before they resolve a URL.
func FuzzSafeBack(f *testing.F) {
	for _, s := range []string{"/", "/items/SHGA-001", "//evil.example", "/\\evil.example", "/\t/evil.example",
		"https://evil.example/", "/a?b=//c", "/%2F/evil.example", "/\u3000/evil", "/..//evil.example"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://haocha.example/prefs")
	f.Fuzz(func(t *testing.T, back string) {
		got := safeBack(back)
		if got != "/" && got != back {
			t.Fatalf("safeBack(%q) = %q: neither the input nor /", back, got)
		}
		read := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := base.Parse(read)
		if err != nil {
			t.Fatalf("safeBack(%q) = %q, which a browser cannot read: %v", back, got, err)
		}
		if u.Host != base.Host || u.Scheme != base.Scheme {
			t.Fatalf("safeBack(%q) = %q leads to %s://%s", back, got, u.Scheme, u.Host)
		}
	})
}
