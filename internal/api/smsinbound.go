package api

// The SMS gateway delivers the citizens' replies here; a TD stops their
// invitations. The gateway authenticates with a shared token from the
// environment (HAOCHA_SMS_INBOUND_TOKEN), not a staff account.

import (
	"crypto/subtle"
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/route"
)

// inboundSMS is a reply as the gateway delivers it.
type inboundSMS struct {
	Phone string `json:"phone"`
	Text  string `json:"text"`
}

// inboundAnswer says whether the reply opted the phone out.
type inboundAnswer struct {
	OptedOut bool `json:"opted_out"`
}

// RegisterSMSInbound adds POST /api/v1/sms/inbound, authenticated by
// "Authorization: Bearer token"; with no token configured every call is
// refused.
func (a *API) RegisterSMSInbound(mux *route.Mux, svc *invitation.Service, token string) {
	want := []byte("Bearer " + token)
	mux.Handle("POST /api/v1/sms/inbound", route.Public, a.handle(func(w http.ResponseWriter, r *http.Request) error {
		if token == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			return apperr.New(apperr.Forbidden, "Authorization", "want the gateway's token: Bearer HAOCHA_SMS_INBOUND_TOKEN")
		}
		var in inboundSMS
		if err := httpjson.Decode(w, r, &in); err != nil {
			return err
		}
		if in.Phone == "" {
			return apperr.Invalidf("phone", "required: the phone the reply came from")
		}
		out := inboundAnswer{OptedOut: invitation.IsOptOut(in.Text)}
		if out.OptedOut {
			if err := svc.OptOutPhone(r.Context(), in.Phone, "reply"); err != nil {
				return err
			}
		}
		httpjson.Write(w, http.StatusOK, out)
		return nil
	}))
}
