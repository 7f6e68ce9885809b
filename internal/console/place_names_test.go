package console_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
)

// ratedAt is the order page's line naming the rated unit, hall and seat.
var ratedAt = regexp.MustCompile(`<dd id="rated-unit">([^<]*)</dd>`)

// TestOrderPageNamesTheWindowInItsLanguage: the order page of a window
// review names the window and workstation in the console's language.
func TestOrderPageNamesTheWindowInItsLanguage(t *testing.T) {
	e := newEnv(t)
	c := tinyCatalog()
	c.Windows = []catalog.Window{{Code: "H1-W3", Hall: "H1", Name: "3号窗口", NameEN: "Window 3"}}
	c.Workstations = []catalog.Workstation{{Code: "H1-W3-02", Window: "H1-W3", Name: "3号窗口2号工位", NameEN: "Window 3, seat 2", Staff: "S1"}}
	c.Halls[0].NameEN = "Huangpu District Administrative Service Centre"
	if err := e.st.ImportCatalog(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	out := e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "workstation": "H1-W3-02",
		"item": "SHGA-001", "stage": "acceptance", "stars": 1, "tags": []string{"attitude"}, "anonymous": true})
	number, _ := out["work_order"].(string)
	if number == "" {
		t.Fatalf("no work order: %v", out)
	}
	op := e.login("operator", password)
	for _, tt := range []struct {
		lang, want, forbidden string
	}{
		{"", "黄浦区 · 黄浦区行政服务中心 · 3号窗口 · 3号窗口2号工位", "Window"},
		{"en", "Window 3 · Window 3, seat 2", "号窗口"},
	} {
		op.lang = tt.lang
		page := op.get("/console/orders/" + number)
		m := ratedAt.FindStringSubmatch(page)
		if m == nil || !strings.Contains(m[1], tt.want) {
			t.Errorf("lang %q: rated at %v, want …%s", tt.lang, m, tt.want)
		}
		if strings.Contains(page, tt.forbidden) {
			t.Errorf("lang %q: the order page says %q", tt.lang, tt.forbidden)
		}
	}
	// The device pairing form lists the hall's workstations by name.
	admin := e.login("admin", password)
	admin.lang = "en"
	if page := admin.get("/console/devices?hall=H1"); !strings.Contains(page, `<option value="H1-W3-02">Window 3, seat 2</option>`) {
		t.Error("the English pairing form does not offer Window 3, seat 2")
	}
}
