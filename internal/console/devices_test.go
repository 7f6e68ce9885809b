package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The administrator pairs a device on the devices page with the code it
// shows and sees it listed; a wrong code is refused naming the field;
// other roles are kept out. Window staff invite a rating of their newest
// transaction, which the device then offers.
func TestDevicePagesAndInvite(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.login("admin", password)
	if page := admin.get("/console/devices?hall=H1"); !strings.Contains(page, "1号工位") || !strings.Contains(page, `id="no-devices"`) {
		t.Fatalf("devices page without devices: %.600s", page)
	}
	p, err := e.m.Devices.Begin(ctx, "test network")
	if err != nil {
		t.Fatal(err)
	}
	if st := admin.post("/console/devices", url.Values{"hall": {"H1"}, "workstation": {"H1-W1-01"}, "code": {"99999999"}}, true); st != http.StatusUnprocessableEntity || !strings.Contains(admin.last, `<code lang="en">code: `) {
		t.Errorf("a wrong code: %d %.300s, want 422 naming code", st, admin.last)
	}
	if st := admin.post("/console/devices", url.Values{"hall": {"H1"}, "workstation": {"H1-W1-01"}, "code": {p.Code}}, true); st != http.StatusSeeOther {
		t.Fatalf("pair: %d %.300s", st, admin.last)
	}
	token, d, err := e.m.Devices.Claim(ctx, p.Claim)
	if err != nil || token == "" || d.Workstation != "H1-W1-01" {
		t.Fatalf("the device's claim: %q %v %v", token, d, err)
	}
	if page := admin.get("/console/devices?hall=H1"); !strings.Contains(page, `id="devices"`) || !strings.Contains(page, "使用中") {
		t.Errorf("the paired device is not listed in use: %.600s", page)
	}
	for _, who := range []string{"operator", "supervisor", "staff"} {
		if st := e.login(who, password).status("/console/devices"); st != http.StatusForbidden {
			t.Errorf("%s on the devices page: %d, want 403", who, st)
		}
	}

	// Window staff: nothing to invite yet, then their transaction.
	staff := e.login("staff", password)
	if !strings.Contains(staff.get("/console/me"), `id="invite-rating"`) {
		t.Fatal("/console/me has no invite button")
	}
	if st := staff.post("/console/me/invite", url.Values{}, true); st != http.StatusNotFound {
		t.Errorf("invite with no transaction: %d, want 404", st)
	}
	e.integration("sys", unitA)
	if got := e.report("sys", e.txn("T-INV", nil)); got[0] != "created" {
		t.Fatalf("report: %v", got)
	}
	if st := staff.post("/console/me/invite", url.Values{}, true); st != http.StatusSeeOther {
		t.Fatalf("invite: %d %.300s", st, staff.last)
	}
	if page := staff.get("/console/me?invited=T-INV"); !strings.Contains(page, "T-INV") {
		t.Errorf("the page does not confirm the invitation")
	}
	ps, err := e.m.Devices.Prompts(ctx, d)
	if err != nil || len(ps) != 1 || ps[0].Transaction != "T-INV" {
		t.Errorf("the device offers %+v %v, want T-INV", ps, err)
	}

	// Unpaired on the page: the token stops working.
	if st := admin.post("/console/devices/"+strconv.FormatInt(d.ID, 10)+"/unpair", url.Values{"hall": {"H1"}}, true); st != http.StatusSeeOther {
		t.Fatalf("unpair: %d", st)
	}
	if _, err := e.m.Devices.Authenticate(ctx, token); err == nil {
		t.Error("an unpaired device's token still works")
	}
}
