package review

import (
	"testing"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		multiline bool
		ok        bool
	}{
		{"plain", "窗口人员态度很差", false, true},
		{"lines in a comment", "第一行\n第二行\r\n\t缩进", true, true},
		{"line break in a name", "李\n四", false, false},
		{"escape", "ok\x1b[2Jgone", true, false},
		{"NUL", "a\x00b", true, false},
		{"DEL", "a\x7fb", true, false},
		{"C1 control", "a\u0085b", false, false},
		{"invalid UTF-8", "a\xffb", true, false},
		{"override closed", "a\u202Eb\u202Cc", true, true},
		{"override left open", "good \u202Ebad", true, false},
		{"isolate closed", "\u2067עברית\u2069", true, true},
		{"isolate left open", "\u2066x", true, false},
		{"closer first", "\u2069\u2066", true, false},
		{"marks are fine", "a\u200Fb\u200Ec", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText("comment", tt.text, tt.multiline)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckText(%q) = %v, want ok %v", tt.text, err, tt.ok)
			}
			if err != nil && (apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field != "comment") {
				t.Errorf("refusal %v: want invalid comment", err)
			}
		})
	}
}

// FuzzCheckText: whatever is accepted holds no control character (but line
// breaks and tabs) and leaves no bidirectional override open.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"好", "a\u202Eb", "a\u202Eb\u202C", "\u2066\u2069", "x\ny", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckText("comment", s, true) != nil {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		depth := 0
		for _, r := range s {
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
				t.Fatalf("accepted control character in %q", s)
			}
			switch r {
			case '\u202A', '\u202B', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068':
				depth++
			case '\u202C', '\u2069':
				depth--
			}
			if depth < 0 {
				t.Fatalf("accepted a closer before its opener in %q", s)
			}
		}
		if depth != 0 {
			t.Fatalf("accepted an open override in %q", s)
		}
	})
}
