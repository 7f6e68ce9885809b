package store

import "testing"

func TestNumberPlaceholders(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"plain", "SELECT a FROM t WHERE a = ? AND b = ?", "SELECT a FROM t WHERE a = $1 AND b = $2"},
		{"none", "SELECT 1", "SELECT 1"},
		{"in a literal", "SELECT '?', ? FROM t", "SELECT '?', $1 FROM t"},
		{"doubled quote", "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"escape string", `SELECT E'\' ?', ?`, `SELECT E'\' ?', $1`},
		{"backslash in a standard literal", `SELECT '\', ?`, `SELECT '\', $1`},
		{"quoted name", `SELECT "why?" FROM t WHERE a = ?`, `SELECT "why?" FROM t WHERE a = $1`},
		{"line comment", "SELECT a -- is a set?\nFROM t WHERE a = ?", "SELECT a -- is a set?\nFROM t WHERE a = $1"},
		{"comment at the end", "SELECT ? -- why?", "SELECT $1 -- why?"},
		{"block comment", "SELECT /* a? /* b? */ c? */ ?", "SELECT /* a? /* b? */ c? */ $1"},
		{"dollar quoted", "SELECT $$?$$, $tag$ ? $$ ? $tag$, ?", "SELECT $$?$$, $tag$ ? $$ ? $tag$, $1"},
		{"dollar in a name", "SELECT a$b, ?", "SELECT a$b, $1"},
		{"unterminated literal", "SELECT ?, 'a?", "SELECT $1, 'a?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := numberPlaceholders(tt.in); got != tt.want {
				t.Errorf("numberPlaceholders(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestColumnsSel(t *testing.T) {
	cs := join(plain("id"), orEmpty("unit"), plain("state"))
	for _, tt := range []struct{ alias, want string }{
		{"", "id, COALESCE(unit, ''), state"},
		{"o", "o.id, COALESCE(o.unit, ''), o.state"},
	} {
		if got := cs.sel(tt.alias); got != tt.want {
			t.Errorf("sel(%q) = %q, want %q", tt.alias, got, tt.want)
		}
	}
	if got, want := valueRows(2, 3), "(?, ?, ?), (?, ?, ?)"; got != want {
		t.Errorf("valueRows(2, 3) = %q, want %q", got, want)
	}
}
