package web

// The window rating device (评价器): its page, and the JSON and
// server-sent events it lives on. The device authenticates with the
// token it was given when paired (Authorization: Bearer), kept in its
// browser's localStorage; the page itself is public and holds no data.

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"

	"github.com/haocha/haocha/internal/i18n"
)

//go:embed device/page.html
var devicePageHTML string

var devicePage = template.Must(template.New("device").Parse(devicePageHTML))

// Devices is what the device routes need: the service and the hub that
// wakes connected devices.
type Devices struct {
	Service *device.Service
	Hub     *device.Hub
	// Poll is how often a connected device's prompts are read again, for
	// news from other processes (a CSV import); DevicePoll when zero.
	Poll time.Duration
}

// StreamFor is how long one events stream lasts before the device
// reconnects: under the server's write timeout, and often enough that an
// unpaired device is dropped.
const StreamFor = 90 * time.Second

// DevicePoll is how often the events stream looks in the database for
// what another process reported.
const DevicePoll = 2 * time.Second

func (w *Web) registerDevice(mux *route.Mux) {
	if w.devices == nil {
		return
	}
	api := func(h func(http.ResponseWriter, *http.Request) error) http.Handler { return httpjson.Handler(w.log, h) }
	mux.Handle("GET /device", route.Public, w.handle(w.devicePage))
	mux.Handle("POST /device/pair", route.Public, api(w.devicePair))
	mux.Handle("POST /device/claim", route.Public, api(w.deviceClaim))
	mux.Handle("GET /device/state", route.Public, api(w.deviceState))
	mux.Handle("GET /device/events", route.Public, api(w.deviceEvents))
	mux.Handle("POST /device/reviews", route.Public, api(w.deviceReview))
}

// DeviceIdle is how long the rating screen waits untouched before it goes
// back to idle; /device?idle=SECONDS sets another, 1 to 600.
const DeviceIdle = 90

func (w *Web) devicePage(rw http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	idle := DeviceIdle
	if v := r.URL.Query().Get("idle"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 600 {
			return apperr.Invalidf("idle", "seconds before the rating screen goes back to idle: 1 to 600, got %q", v)
		}
		idle = n
	}
	words := map[string]string{}
	for _, k := range i18n.Keys("device.") {
		words[k] = l.T(k)
	}
	for i := 1; i <= 5; i++ {
		words[fmt.Sprintf("stars.%d", i)] = l.T(starWords[i])
	}
	for _, t := range review.Tags {
		words["tag."+string(t)] = l.T("tag." + string(t))
	}
	other, otherName := langEN, "English"
	if l == langEN {
		other, otherName = langZH, "中文"
	}
	var buf bytes.Buffer
	err := devicePage.Execute(&buf, map[string]any{"Lang": l.HTMLLang(), "L": l, "Words": words, "Idle": idle,
		"Switch": "/prefs?lang=" + string(other) + "&back=" + url.QueryEscape("/device"), "SwitchName": otherName})
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(rw)
	return err
}

func (w *Web) devicePair(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.devices.Service.Begin(r.Context(), w.intake.NetMark(caller.Client(r).Address))
	if err != nil {
		return err
	}
	httpjson.Write(rw, http.StatusCreated, map[string]any{"code": p.Code, "claim": p.Claim, "expires_at": p.ExpiresAt})
	return nil
}

func (w *Web) deviceClaim(rw http.ResponseWriter, r *http.Request) error {
	var in struct {
		Claim string `json:"claim"`
	}
	if err := httpjson.Decode(rw, r, &in); err != nil {
		return err
	}
	token, d, err := w.devices.Service.Claim(r.Context(), in.Claim)
	if err != nil {
		return err
	}
	if d == nil {
		httpjson.Write(rw, http.StatusAccepted, map[string]any{"paired": false})
		return nil
	}
	// The token is shown this once; the server keeps its hash.
	rw.Header().Set("Cache-Control", "no-store")
	httpjson.Write(rw, http.StatusOK, map[string]any{"paired": true, "token": token, "workstation": d.Workstation})
	return nil
}

// deviceOf authenticates the device calling r.
func (w *Web) deviceOf(r *http.Request) (*device.Device, error) {
	return w.devices.Service.Authenticate(r.Context(), bearerToken(r))
}

func bearerToken(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(token)
}

// deviceScreen is what the device shows: where it stands, who serves
// there, and the transactions waiting for a rating, newest first.
type deviceScreen struct {
	Workstation string         `json:"workstation"`
	Place       string         `json:"place"`
	StaffName   string         `json:"staff_name,omitempty"`
	StaffCode   string         `json:"staff_code,omitempty"`
	Dimensions  []deviceChoice `json:"dimensions"`
	Pending     []devicePrompt `json:"pending"`
}

type deviceChoice struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type devicePrompt struct {
	Transaction string    `json:"transaction"`
	At          time.Time `json:"at"`
	Item        string    `json:"item"`
	Stage       string    `json:"stage"`
	StageName   string    `json:"stage_name"`
	// QR is an SVG code of the transaction's rating page, for the citizen
	// who prefers their own phone; its token rotates with the
	// workstation's and the page refuses it once the rating window closed.
	QR string `json:"qr"`
}

func (w *Web) screen(r *http.Request, d *device.Device) (*deviceScreen, error) {
	ctx := r.Context()
	l := langOf(r)
	place, err := w.store.Place(ctx, d.Workstation)
	if err != nil {
		return nil, err
	}
	sc := &deviceScreen{Workstation: d.Workstation,
		Place: place.Hall.Name(string(l)) + " · " + place.Workstation.NameIn(string(l))}
	if st, err := w.store.StaffOnDuty(ctx, d.Workstation); err != nil {
		return nil, err
	} else if st != nil {
		sc.StaffName, sc.StaffCode = st.Name, st.Code
	}
	set, err := w.store.ActiveDimensionSet(ctx)
	if err != nil {
		return nil, err
	}
	for _, dim := range set.Dimensions {
		name := dim.NameZH
		if l == langEN && dim.NameEN != "" {
			name = dim.NameEN
		}
		sc.Dimensions = append(sc.Dimensions, deviceChoice{Code: dim.Code, Name: name})
	}
	prompts, err := w.devices.Service.Prompts(ctx, d)
	if err != nil {
		return nil, err
	}
	sc.Pending = []devicePrompt{}
	for _, p := range prompts {
		t, err := w.store.Transaction(ctx, p.Transaction)
		if err != nil {
			return nil, err
		}
		it, err := w.store.Item(ctx, t.Item)
		if err != nil {
			return nil, err
		}
		// The window's part is the last stage the transaction went through.
		stage := t.Stages[len(t.Stages)-1]
		dp := devicePrompt{Transaction: t.Number, At: p.At, Item: it.Name(string(l)), Stage: stage, StageName: stage}
		if s, ok := it.Stage(stage); ok {
			dp.StageName = s.Name(string(l))
		}
		link := w.base(r) + "/r/" + url.PathEscape(d.Workstation) + "?t=" +
			url.QueryEscape(w.signer.Current(d.Workstation, w.store.Now())) + "&txn=" + url.QueryEscape(t.Number) +
			"&p=" + url.QueryEscape(w.intake.TransactionProof(t.Number, t.Workstation))
		code, err := w.codes.Encode(link)
		if err != nil {
			return nil, err
		}
		var svg bytes.Buffer
		if err := code.WriteSVG(&svg, l.T("device.qr")); err != nil {
			return nil, err
		}
		dp.QR = svg.String()
		sc.Pending = append(sc.Pending, dp)
	}
	return sc, nil
}

func (w *Web) deviceState(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.deviceOf(r)
	if err != nil {
		return err
	}
	sc, err := w.screen(r, d)
	if err != nil {
		return err
	}
	rw.Header().Set("Cache-Control", "no-store")
	httpjson.Write(rw, http.StatusOK, sc)
	return nil
}

// deviceEvents streams the device's screen as server-sent events: once
// at the start and again whenever it changes. A transaction reported in
// this process wakes the stream at once; one reported elsewhere is found
// by the poll. The stream ends after StreamFor, or when the server shuts
// down, and the device reconnects.
func (w *Web) deviceEvents(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.deviceOf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rc := http.NewResponseController(rw)
	h := rw.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	wake, stop := w.devices.Hub.Subscribe(d.Workstation)
	defer stop()
	poll := w.devices.Poll
	if poll == 0 {
		poll = DevicePoll
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	end := time.NewTimer(StreamFor)
	defer end.Stop()
	last := ""
	rw.WriteHeader(http.StatusOK)
	for {
		sc, err := w.screen(r, d)
		if err != nil {
			return nil // the stream is open: the device reconnects
		}
		// Each write gets its own deadline: the server's WriteTimeout is
		// for whole answers, and this one is long.
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		b, _ := json.Marshal(sc)
		if s := string(b); s != last {
			last = s
			if _, err := fmt.Fprintf(rw, "event: screen\ndata: %s\n\n", b); err != nil {
				return nil
			}
		} else if _, err := fmt.Fprint(rw, ": still here\n\n"); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.devices.Hub.Done():
			return nil
		case <-end.C:
			return nil
		case <-wake:
			// Woken: perhaps unpaired. The device then forgets its token.
			if _, err := w.devices.Service.Authenticate(ctx, bearerToken(r)); apperr.Is(err, apperr.Forbidden) {
				fmt.Fprint(rw, "event: unpaired\ndata: {}\n\n")
				return nil
			}
		case <-tick.C:
		}
	}
}

func (w *Web) deviceReview(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.deviceOf(r)
	if err != nil {
		return err
	}
	var rt device.Rating
	if err := httpjson.Decode(rw, r, &rt); err != nil {
		return w.intake.Refused(err)
	}
	rc, repeat, err := w.devices.Service.Rate(r.Context(), d, rt)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if repeat {
		status = http.StatusOK
	}
	out := map[string]any{"id": fmt.Sprint(rc.Review), "work_order": nil, "repeat": repeat, "held": rc.Held}
	if rc.WorkOrder != "" {
		out["work_order"] = rc.WorkOrder
	}
	if rc.FollowToken != "" {
		// The citizen at the window follows the order on their phone.
		code, err := w.codes.Encode(w.base(r) + "/follow/" + rc.FollowToken)
		if err != nil {
			return err
		}
		var svg bytes.Buffer
		if err := code.WriteSVG(&svg, langOf(r).T("device.order.qr")); err != nil {
			return err
		}
		out["follow_qr"] = svg.String()
		rw.Header().Set("Cache-Control", "no-store")
	}
	httpjson.Write(rw, status, out)
	return nil
}
