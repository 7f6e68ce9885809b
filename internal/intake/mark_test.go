package intake_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
)

// The marks a review keeps are keyed hashes of its client, the same for
// the same client whenever it comes and whichever service of the same
// salt takes it (reviews already stored are counted against a client's
// next ones), and unlike under another salt.
func TestMarksAreKeyedHashesOfTheClient(t *testing.T) {
	want := func(salt, in string) string {
		m := hmac.New(sha256.New, []byte(salt))
		m.Write([]byte(in))
		return hex.EncodeToString(m.Sum(nil)[:12])
	}
	sub := review.Submission{Channel: "app", Item: "GA-001", Stage: "acceptance", Stars: 4, Anonymous: new(true)}
	for _, tc := range []struct {
		salt        string
		client      intake.Client
		mark, netOf string
	}{
		{"one", intake.Client{Address: "192.0.2.1", UserAgent: "phone"}, "192.0.2.1\x00phone", "192.0.2.1"},
		{"two", intake.Client{Address: "192.0.2.1", UserAgent: "phone"}, "192.0.2.1\x00phone", "192.0.2.1"},
		{"one", intake.Client{Address: "2001:db8:1:2::9", UserAgent: ""}, "2001:db8:1:2::9\x00", "2001:db8:1:2::/64"},
		{"one", intake.Client{Address: "::ffff:192.0.2.7", UserAgent: "x"}, "::ffff:192.0.2.7\x00x", "192.0.2.7"},
		{"one", intake.Client{Device: &intake.PairedDevice{ID: 42, Workstation: "H1-W1-1"}}, "device\x0042", ""},
	} {
		for range 2 {
			st := &memStore{Index: loadgen.NewIndex(storetest.Fixture(), review.DefaultDimensions)}
			svc := &intake.Service{Store: st, Salt: []byte(tc.salt)}
			s := sub
			if tc.client.Device != nil {
				s.Channel, s.Workstation = "window", tc.client.Device.Workstation
			}
			if _, err := svc.Submit(context.Background(), s, tc.client); err != nil {
				t.Fatal(err)
			}
			if got := st.stored.ClientMark; got != want(tc.salt, tc.mark) {
				t.Errorf("%s %+v: client mark %s, want %s", tc.salt, tc.client, got, want(tc.salt, tc.mark))
			}
			netMark := ""
			if tc.netOf != "" {
				netMark = want(tc.salt, "net\x00"+tc.netOf)
			}
			if got := st.stored.NetMark; got != netMark {
				t.Errorf("%s %+v: network mark %s, want %s", tc.salt, tc.client, got, netMark)
			}
			if got := svc.NetMark(tc.client.Address); tc.client.Device == nil && got != netMark {
				t.Errorf("NetMark(%q) = %s, want %s", tc.client.Address, got, netMark)
			}
		}
	}
}
