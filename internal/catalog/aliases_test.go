package catalog

import (
	"slices"
	"strings"
	"testing"
)

func TestSearchTerms(t *testing.T) {
	tests := []struct {
		q    string
		want []string // each must be among the terms
		not  []string
	}{
		{"社保", []string{"社保", "社会保险", "社会保障"}, nil},
		{"sb", []string{"sb", "社保", "社会保险", "社会保障"}, nil},
		{"SB", []string{"社会保障"}, nil},
		{" 公积金 ", []string{"公积金", "住房公积金"}, nil},
		{"gjj", []string{"公积金", "住房公积金"}, nil},
		{"医保", []string{"医疗保险"}, []string{"社会保障"}},
		{"婚姻登记", []string{"婚姻登记"}, []string{"结婚"}}, // aliases go one way
		{"无此词", []string{"无此词"}, nil},
	}
	for _, tt := range tests {
		got := SearchTerms(tt.q)
		if len(got) > maxTerms {
			t.Errorf("%q: %d terms, over %d", tt.q, len(got), maxTerms)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("SearchTerms(%q) = %v, lacks %q", tt.q, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("SearchTerms(%q) = %v, has %q", tt.q, got, w)
			}
		}
	}
	if got := SearchTerms("  "); got != nil {
		t.Errorf("blank search: %v", got)
	}
}

func TestAliasesOfAndMatches(t *testing.T) {
	got := AliasesOf("社会保障卡申领（新办）", "Social security card (new)")
	for _, w := range []string{"社保", "sb", "社保卡"} {
		if !slices.Contains(got, w) {
			t.Errorf("AliasesOf(社会保障卡申领) = %v, lacks %q", got, w)
		}
	}
	if slices.Contains(got, "gjj") {
		t.Errorf("AliasesOf(社会保障卡申领) = %v, has gjj", got)
	}
	if !Matches("rs", "上海市人力资源和社会保障局") || Matches("gjj", "上海市人力资源和社会保障局") {
		t.Error("rs should find the human resources bureau and gjj should not")
	}
	// Common names in either language find the catalogue's; a Latin word
	// only at the start of a word of the name.
	for _, tt := range []struct {
		q     string
		names []string
		want  bool
	}{
		{"ID card", []string{"居民身份证申领", "Resident identity card"}, true},
		{"ID card", []string{"单用途预付卡备案", "Single-purpose prepaid card filing"}, false},
		{"passport", []string{"出入境证件办理", "Exit-entry documents"}, true},
		{"户籍", []string{"户口迁移登记", "Household registration transfer"}, true},
		{"housing fund", []string{"公积金提取", "Provident fund withdrawal"}, true},
		{"marriage registration", []string{"婚姻登记", "Marriage registration"}, true},
		{"business licence", []string{"个体工商户登记", "Individual business registration"}, true},
		{"社保卡", []string{"社会保障卡申领", "Social security card"}, true},
		{"card", []string{"社会保障卡申领", "Social security card"}, true},
	} {
		if got := Matches(tt.q, tt.names...); got != tt.want {
			t.Errorf("Matches(%q, %v) = %v, want %v", tt.q, tt.names, got, tt.want)
		}
	}
}

func TestParseAliasesRefusesBadLines(t *testing.T) {
	for _, text := range []string{"社保", "社保\t", "\t社会保险", "社保\t社会保险\n社保\t社会保障", "SB\ta\nsb\tb"} {
		if _, err := parseAliases(text); err == nil {
			t.Errorf("parseAliases(%q): no error", text)
		}
	}
	if m, err := parseAliases("# comment\n\n社保\t社会保险\tsocial security \r\n"); err != nil || len(m["社保"]) != 2 || m["社保"][1] != "social security" {
		t.Errorf("parseAliases: %v %v", m, err)
	}
}

// TestSynonymsInBothLanguages: the file names at least the 50 services a
// city hall is asked for most by their common names, in Chinese and in
// English (pinyin initials not counted), and every word it sends a search
// to is non-empty.
func TestSynonymsInBothLanguages(t *testing.T) {
	var zh, en int
	for key, words := range aliases {
		switch {
		case HasHan(key):
			zh++
		case strings.ContainsAny(key, " -'") || len(key) > 5:
			en++
		}
		if slices.Contains(words, "") {
			t.Errorf("%q sends a search to an empty word", key)
		}
	}
	if zh < 50 || en < 50 {
		t.Errorf("%d Chinese and %d English common names, want 50 of each", zh, en)
	}
}
