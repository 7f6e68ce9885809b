package web_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// communityWS is a workstation of a community hall, which handles some of
// the catalogue's items only.
const communityWS = "H310101-01-W01-01"

// optionsIn returns the item codes offered inside the optgroup with id.
func optionsIn(t *testing.T, body, id string) []string {
	t.Helper()
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		return nil
	}
	end := strings.Index(body[start:], "</optgroup>")
	var codes []string
	for _, m := range regexp.MustCompile(`<option value="([^"]+)"`).FindAllStringSubmatch(body[start:start+end], -1) {
		codes = append(codes, m[1])
	}
	return codes
}

func TestLandingShowsTheHallsItemsFirst(t *testing.T) {
	c := newClient(t)
	body := c.page(landing(communityWS))
	hallItems, others := optionsIn(t, body, "items-hall"), optionsIn(t, body, "items-others")
	if len(hallItems) == 0 || len(others) == 0 {
		t.Fatalf("hall's items %d, others %d: want both", len(hallItems), len(others))
	}
	// The police's items are handled in community halls, the Development
	// and Reform Commission's are not.
	if !strings.HasPrefix(hallItems[0], "SHGA-") && !slices.Contains(hallItems, "SHGA-001") {
		t.Errorf("the hall's items lack SHGA-001: %v", hallItems[:5])
	}
	if slices.Contains(hallItems, "SHFGW-001") || !slices.Contains(others, "SHFGW-001") {
		t.Error("SHFGW-001, not handled at the hall, is not among the others")
	}
	if strings.Index(body, `id="items-hall"`) > strings.Index(body, `id="items-others"`) {
		t.Error("the hall's items do not come first")
	}

	// The search box works without script: the server filters both lists.
	body = c.page(landing(communityWS) + "&q=" + "身份证")
	hallItems, others = optionsIn(t, body, "items-hall"), optionsIn(t, body, "items-others")
	if len(hallItems) != 1 || !slices.Contains(hallItems, "SHGA-001") {
		t.Errorf("q=身份证: hall's items %v, want the identity card's one item", hallItems)
	}
	if len(others) != 0 {
		t.Errorf("q=身份证: others %v, want none", others)
	}
	mustContain(t, body, `value="身份证"`, `id="item-count">1 `)
}

func TestDimensionButtonsCarryTheirWords(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"zh", []string{"<b>1</b><small>非常不满意</small>", "<b>3</b><small>基本满意</small>", "<b>5</b><small>非常满意</small>"}},
		{"en", []string{"<b>1</b><small>Very dissatisfied</small>", "<b>5</b><small>Very satisfied</small>"}},
	} {
		_, body := newClient(t).get(landing(workstation) + "&lang=" + tt.lang)
		mustContain(t, body, tt.want...)
	}
}
