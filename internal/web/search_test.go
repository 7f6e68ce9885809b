package web_test

import (
	"encoding/json"
	"net/url"
	"testing"
)

// A citizen searches as people speak: 社保 for 社会保障, sb for 社保.
func TestSearchFindsAbbreviationsAndInitials(t *testing.T) {
	c := newClient(t)
	for _, q := range []string{"社保", "sb", "公积金", "gjj", "医保"} {
		want := map[string]string{"社保": "SHRSJ-001", "sb": "SHRSJ-001", "公积金": "SHGJJ-001", "gjj": "SHGJJ-001", "医保": "SHYBJ-001"}[q]
		t.Run(q, func(t *testing.T) {
			// The home page's search, the items list and the API alike.
			mustContain(t, c.page("/?q="+url.QueryEscape(q)), `href="/items/`+want+`"`)
			mustContain(t, c.page("/items?q="+url.QueryEscape(q)), `href="/items/`+want+`"`)
			var list struct{ Items []struct{ Code string } }
			if err := json.Unmarshal([]byte(c.page("/api/v1/items?q="+url.QueryEscape(q))), &list); err != nil {
				t.Fatal(err)
			}
			items := list.Items
			found := false
			for _, it := range items {
				found = found || it.Code == want
			}
			if !found {
				t.Errorf("GET /api/v1/items?q=%s: %d items without %s", q, len(items), want)
			}
		})
	}
	// The department is found by its abbreviation too.
	mustContain(t, c.page("/?q=rs"), `href="/units/SHRSJ"`)
	// The QR landing filters its list by the same words; its script gets
	// each item's aliases.
	body := c.page(landing(workstation) + "&q=" + url.QueryEscape("社保"))
	mustContain(t, body, `<option value="SHRSJ-001" data-keys="`, `sb`)
	mustNotContain(t, body, `value="SHGA-001"`)
}

// TestSearchFindsCommonNames searches by the names citizens use, in
// either language (the synonyms in internal/catalog/data/aliases.tsv).
func TestSearchFindsCommonNames(t *testing.T) {
	c := newClient(t)
	for _, tt := range []struct{ q, want, not string }{
		{"ID card", "居民身份证申领", "单用途预付卡备案"},
		{"passport", "出入境证件办理", ""},
		{"户籍", "户口迁移登记", ""},
		{"housing fund", "公积金提取", ""},
		{"marriage registration", "婚姻登记", ""},
		{"business licence", "企业设立登记", ""},
	} {
		t.Run(tt.q, func(t *testing.T) {
			for _, path := range []string{"/items?q=", "/?q="} {
				body := c.page(path + url.QueryEscape(tt.q))
				mustContain(t, body, tt.want)
				if tt.not != "" {
					mustNotContain(t, body, tt.not)
				}
			}
		})
	}
}
