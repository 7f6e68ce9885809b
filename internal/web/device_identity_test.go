package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/transaction"
)

// pairDevice pairs a device to ws, unpaired when the test ends, and
// returns its token.
func pairDevice(t *testing.T, ws string) (string, *device.Device) {
	t.Helper()
	ctx := context.Background()
	p, err := haocha.Devices.Begin(ctx, "test")
	must(t, err)
	_, err = haocha.Devices.Pair(ctx, &account.Actor{ID: 1, Role: account.Admin}, p.Code, ws)
	must(t, err)
	token, d, err := haocha.Devices.Claim(ctx, p.Claim)
	must(t, err)
	t.Cleanup(func() { haocha.Devices.Unpair(context.Background(), &account.Actor{ID: 1, Role: account.Admin}, d.ID) })
	return token, d
}

// A rating given on the window's device is the applicant's: the citizen
// who signs in later with the phone the transaction was reported with
// finds it on their own page; another citizen does not.
func TestDeviceRatingIsTheApplicants(t *testing.T) {
	forgetAttempts(t)
	ctx := context.Background()
	run := strconv36(time.Now().UnixNano())
	const phone = "13700002468"
	at := time.Now().Add(-time.Minute).Format(time.RFC3339)
	number := "OWN" + run
	res, err := (&transaction.Service{Store: haocha.Store}).Report(ctx, transaction.Reporter{},
		[]transaction.Record{{Number: number, Item: item, Stages: []string{"acceptance"}, Unit: "310101",
			Workstation: fitWS, ApplicantKind: "person", AcceptedAt: at, FinishedAt: at, Phone: phone}})
	if err != nil || res[0].Status != transaction.Created {
		t.Fatalf("report: %v %+v", err, res)
	}
	_, d := pairDevice(t, fitWS)
	rc, _, err := haocha.Devices.Rate(ctx, d, device.Rating{ClientID: "own-" + run, Transaction: number, Stars: 4})
	must(t, err)

	mine := fmt.Sprintf(`id="my-review-%d"`, rc.Review)
	c := newClient(t)
	signIn(t, c, phone, "/me")
	mustContain(t, c.page("/me"), mine)
	other := newClient(t)
	signIn(t, other, "13700001357", "/me")
	mustNotContain(t, other.page("/me"), mine)
}
