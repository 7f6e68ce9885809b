package console

// The administrator's rating-device page: pair a device to a workstation
// with the code it shows, list a hall's devices with when each was last
// seen, unpair one. And window staff's "invite rating" button on
// /console/me, which has their workstation's device show their newest
// unrated transaction again.

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

func (c *Console) registerDevices(mux *route.Mux) {
	if c.Devices == nil {
		return
	}
	mux.Handle("GET /console/devices", pageAdmin, c.page(c.devicesPage))
	mux.Handle("POST /console/devices", pageAdmin, c.page(c.pairDevice))
	mux.Handle("POST /console/devices/{id}/unpair", pageAdmin, c.page(c.unpairDevice))
	mux.Handle("POST /console/me/invite", route.PageRoles(account.Staff), c.page(c.inviteRating))
}

type devicesData struct {
	Halls        []catalog.Hall
	Hall         string
	Workstations []catalog.Place
	Devices      []deviceRow
	Code         string // the code typed, kept on an error
	Workstation  string
}

type deviceRow struct {
	ID       int64
	Name     string // the workstation's window and name
	PairedAt time.Time
	LastSeen time.Time
	Revoked  bool
}

func (c *Console) devicesPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	flash := ""
	if r.URL.Query().Get("paired") != "" {
		flash = wh.L.T("dev.submit")
	}
	return c.showDevices(w, r, wh, r.URL.Query().Get("hall"), nil, flash)
}

func (c *Console) showDevices(w http.ResponseWriter, r *http.Request, wh *who, hall string, failed error, flash string) error {
	ctx := r.Context()
	a := wh.actor()
	d := devicesData{Hall: hall, Code: r.PostFormValue("code"), Workstation: r.PostFormValue("workstation")}
	var err error
	if d.Halls, err = c.Store.Halls(ctx, ""); err != nil {
		return err
	}
	if hall == "" && len(d.Halls) > 0 {
		d.Hall = d.Halls[0].Code
	}
	if d.Workstations, err = c.Store.Places(ctx, store.PlaceFilter{Hall: d.Hall}); err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range d.Workstations {
		names[p.Workstation.Code] = p.Workstation.NameIn(wh.L.Code())
	}
	devs, err := c.Devices.Devices(ctx, &a, d.Hall)
	if err != nil {
		return err
	}
	for _, dv := range devs {
		d.Devices = append(d.Devices, deviceRow{ID: dv.ID, Name: names[dv.Workstation], PairedAt: dv.PairedAt,
			LastSeen: dv.LastSeen, Revoked: !dv.Revoked.IsZero()})
	}
	pd := pageData{Title: wh.L.T("dev.title"), Who: wh, Data: d, Flash: flash}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "devices", pd)
	return nil
}

func (c *Console) pairDevice(w http.ResponseWriter, r *http.Request, wh *who) error {
	a := wh.actor()
	hall := r.PostFormValue("hall")
	ws := r.PostFormValue("workstation")
	d, err := c.Devices.Pair(r.Context(), &a, r.PostFormValue("code"), ws)
	if err != nil {
		return c.showDevices(w, r, wh, hall, err, "")
	}
	http.Redirect(w, r, "/console/devices?hall="+url.QueryEscape(hall)+"&paired="+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

func (c *Console) unpairDevice(w http.ResponseWriter, r *http.Request, wh *who) error {
	a := wh.actor()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("device", "no device %s", r.PathValue("id"))
	}
	if _, err := c.Devices.Unpair(r.Context(), &a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/devices?hall="+url.QueryEscape(r.PostFormValue("hall")), http.StatusSeeOther)
	return nil
}

func (c *Console) inviteRating(w http.ResponseWriter, r *http.Request, wh *who) error {
	a := wh.actor()
	p, err := c.Devices.Invite(r.Context(), &a)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/me?invited="+url.QueryEscape(p.Transaction), http.StatusSeeOther)
	return nil
}
