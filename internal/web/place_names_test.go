package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/haocha/haocha/internal/account"
)

// TestWorkstationNamedInThePagesLanguage: the QR landing names the window
// and workstation in the page's language, and the API carries both names.
func TestWorkstationNamedInThePagesLanguage(t *testing.T) {
	c := newClient(t)
	ws := hall + "-W03-02"
	landing := "/r/" + ws + "?t=" + token(ws)
	en := c.page(landing + "&lang=en")
	mustContain(t, en, `id="window">Window 3<`, `id="workstation">Window 3, seat 2<`)
	mustNotContain(t, en, "号窗口", "号工位")
	mustContain(t, c.page(landing+"&lang=zh"), `id="window">3号窗口<`, `id="workstation">3号窗口2号工位<`)

	var place struct {
		Window, Workstation struct {
			Name   string `json:"name"`
			NameEN string `json:"name_en"`
		}
	}
	if err := json.Unmarshal([]byte(c.page("/api/v1/workstations/"+ws)), &place); err != nil {
		t.Fatal(err)
	}
	if place.Window.Name != "3号窗口" || place.Window.NameEN != "Window 3" ||
		place.Workstation.Name != "3号窗口2号工位" || place.Workstation.NameEN != "Window 3, seat 2" {
		t.Errorf("API place %+v, want name and name_en of both", place)
	}
}

// TestSheetAndInvitationNameInTheirLanguage: the printed QR sheet and a
// rating invitation name the workstation in the page's language.
func TestSheetAndInvitationNameInTheirLanguage(t *testing.T) {
	sheet := printer(t).page("/qr/sheet?hall=H310101-01&lang=en")
	mustContain(t, sheet, "Window 1, seat 1", "Window 4, seat 2")
	mustNotContain(t, sheet, "号窗口")

	link := invited(t, "INV-NAMES-1", "13700002222")
	c := newClient(t)
	mustContain(t, c.page(link+"?lang=en"), `id="invite-workstation">Window 1, seat 1<`)
	mustContain(t, c.page(link+"?lang=zh"), `id="invite-workstation">1号窗口1号工位<`)
}

// TestDeviceScreenNamesItsPlaceInItsLanguage: a paired rating device shows
// where it stands in the language it asks in.
func TestDeviceScreenNamesItsPlaceInItsLanguage(t *testing.T) {
	ctx := context.Background()
	printer(t) // an administrator account
	admin, err := haocha.Store.UserByLogin(ctx, qrPrinter)
	if err != nil {
		t.Fatal(err)
	}
	devices := haocha.Devices
	p, err := devices.Begin(ctx, "names-test")
	if err != nil {
		t.Fatal(err)
	}
	ws := hall + "-W03-02"
	if _, err := devices.Pair(ctx, &account.Actor{ID: admin.ID, Name: admin.Login, Role: account.Admin}, p.Code, ws); err != nil {
		t.Fatal(err)
	}
	tok, _, err := devices.Claim(ctx, p.Claim)
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "Huangpu District Administrative Service Centre · Window 3, seat 2", "zh": "黄浦区行政服务中心 · 3号窗口2号工位"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/device/state?lang="+lang, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, body := newClient(t).do(req)
		var sc struct{ Place string }
		if err := json.Unmarshal([]byte(body), &sc); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("device state: %d %s", resp.StatusCode, body)
		}
		if sc.Place != want {
			t.Errorf("device in %s stands at %q, want %q", lang, sc.Place, want)
		}
	}
}
