package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// memStore is intake's storage held in memory: the test catalogue, and the
// last review handed over for storing.
type memStore struct {
	*loadgen.Index
	stored *review.Review
}

func (m *memStore) CreateReview(_ context.Context, r *review.Review, _ review.RateLimit) (*workorder.NewOrder, error) {
	cp := *r
	m.stored = &cp
	return nil, nil
}

// submit sends body through the same decoder and intake service as the API.
func submit(t *testing.T, body []byte) (*review.Review, error) {
	st := &memStore{Index: loadgen.NewIndex(storetest.Fixture(), review.DefaultDimensions)}
	svc := &intake.Service{Store: st, Salt: []byte("fuzz")}
	var sub review.Submission
	r := httptest.NewRequest("POST", "/api/v1/reviews", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if err := httpjson.Decode(httptest.NewRecorder(), r, &sub); err != nil {
		return nil, err
	}
	rc, err := svc.Submit(context.Background(), sub, intake.Client{Address: "192.0.2.1", UserAgent: "fuzz"})
	if err != nil {
		return nil, err
	}
	if st.stored == nil || rc.Stars != st.stored.Stars || rc.Channel != st.stored.Channel {
		t.Fatalf("receipt %+v does not describe the stored review %+v", rc, st.stored)
	}
	return st.stored, nil
}

// FuzzReviewIntake feeds arbitrary request bodies to the review decoder and
// intake. A body is either refused with a malformed or invalid error that
// names its field, or accepted as a review that keeps every rule of the
// README; and an accepted submission, sent again as JSON, is accepted as the
// same review.
func FuzzReviewIntake(f *testing.F) {
	f.Add([]byte(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":2,"dimensions":{"accuracy":2,"efficiency":1},"tags":["attitude"],"comment":"让我跑了三次","anonymous":false,"name":"李四","phone":"+86 139-1234-5678","transaction":"BJ2026072000000001"}`))
	f.Add([]byte(`{"channel":"app","item":"SCJG-001","stage":"decision","stars":5,"anonymous":true,"reviewer_kind":"business"}`))
	f.Add([]byte(`{"channel":"pc","item":"GA-001","stage":"application","unit":"310104","stars":1,"comment":" ","anonymous":true}`))
	f.Add([]byte(`{"stars":4,"stars":1}`))
	f.Add([]byte(`{"channel":"window","item":"GA-001","stage":"acceptance","stars":3,"anonymous":true}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rv, err := submit(t, body)
		if err != nil {
			e := apperr.As(err)
			if e == nil || (e.Code != apperr.Malformed && e.Code != apperr.Invalid) || e.Field == "" {
				t.Fatalf("refusal %v (%#v) is not a malformed or invalid error naming a field", err, e)
			}
			return
		}
		checkReview(t, rv)

		// What was accepted is accepted again, as the same review.
		var sub review.Submission
		if err := json.Unmarshal(body, &sub); err != nil {
			return // accepted by the stricter decoder but not encoding/json: nothing to replay
		}
		again, err := json.Marshal(sub)
		if err != nil {
			t.Fatal(err)
		}
		rv2, err := submit(t, again)
		if err != nil {
			t.Fatalf("accepted %q, refused its re-encoding %s: %v", body, again, err)
		}
		if diff := cmp.Diff(rv, rv2); diff != "" {
			t.Fatalf("re-encoded submission %s stored differently (-first +again):\n%s", again, diff)
		}
	})
}

func checkReview(t *testing.T, rv *review.Review) {
	t.Helper()
	fixture := storetest.Fixture()
	switch {
	case !rv.Channel.Valid():
		t.Fatalf("stored channel %q", rv.Channel)
	case rv.Stars < 1 || rv.Stars > 5:
		t.Fatalf("stored %d stars", rv.Stars)
	case utf8.RuneCountInString(rv.Comment) > review.MaxComment:
		t.Fatalf("stored a comment of %d characters", utf8.RuneCountInString(rv.Comment))
	case utf8.RuneCountInString(rv.Transaction) > review.MaxTransaction:
		t.Fatalf("stored a transaction of %d characters", utf8.RuneCountInString(rv.Transaction))
	case rv.Channel == review.Window && (rv.Workstation == "" || rv.Hall == ""):
		t.Fatalf("window review without its place: %+v", rv)
	case rv.Anonymous != (rv.Contact == nil):
		t.Fatalf("anonymous %v with contact %+v", rv.Anonymous, rv.Contact)
	case rv.Contact != nil && (rv.Contact.Name == "" || utf8.RuneCountInString(rv.Contact.Name) > review.MaxName || !review.ValidPhone(rv.Contact.Phone)):
		t.Fatalf("stored contact %+v", rv.Contact)
	case rv.ReviewerKind != review.Person && rv.ReviewerKind != review.Business:
		t.Fatalf("stored reviewer kind %q", rv.ReviewerKind)
	case len(rv.Scores) != len(review.DefaultDimensions.Dimensions):
		t.Fatalf("stored %d scores", len(rv.Scores))
	case rv.ClientMark == "":
		t.Fatal("stored without a client mark")
	}
	for _, s := range rv.Scores {
		if s < 0 || s > 5 {
			t.Fatalf("stored score %d", s)
		}
	}
	if !slices.ContainsFunc(fixture.Units, func(u catalog.Unit) bool { return u.Code == rv.Unit }) {
		t.Fatalf("stored unit %q is not in the catalogue", rv.Unit)
	}
	i := slices.IndexFunc(fixture.Items, func(it catalog.Item) bool { return it.Code == rv.Item })
	if i < 0 {
		t.Fatalf("stored item %q is not in the catalogue", rv.Item)
	}
	if _, ok := fixture.Items[i].Stage(rv.Stage); !ok {
		t.Fatalf("stored stage %q is not a stage of %s", rv.Stage, rv.Item)
	}
}
