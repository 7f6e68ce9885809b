package review

import (
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"
)

// bodies are submissions as clients send them (haocha-bench loadgen's),
// and some the fast decoder must leave to the general one.
var bodies = []string{
	`{"channel":"pc","item":"SHJXW-003","stage":"application","stars":3,"dimensions":{"accuracy":3,"convenience":4,"efficiency":3,"innovation":4},"anonymous":false,"reviewer_kind":"person","name":"张洋","phone":"13810038057"}`,
	`{"channel":"app","item":"SHMFB-001","stage":"consultation","stars":5,"comment":"流程清楚","anonymous":true,"reviewer_kind":"person"}`,
	`{"channel":"kiosk","item":"SHGA-002","stage":"acceptance","stars":3,"dimensions":{"accuracy":4,"convenience":4,"efficiency":3,"innovation":3},"anonymous":true,"reviewer_kind":"business"}`,
	` { "channel" : "window", "item": "SHGA-001", "stage": "review", "stars": 1, "workstation": "W-1", "qr_token": "abc", "tags": ["slow", "rude"], "later_review": true,
	    "transaction": "T-1", "invitation_token": "i", "transaction_proof": "p", "unit": "310101", "comment": "" } `,
	`{"tags":[],"dimensions":{}}`,
	`{}`,
	// Left to the general decoder:
	`{"channel":"pc","channel":"app"}`,
	`{"comment":"line\nbreak"}`,
	`{"stars":4.0}`,
	`{"stars":-1}`,
	`{"stars":"5"}`,
	`{"stars":05}`,
	`{"stars":12345678901234567890}`,
	`{"anonymous":null}`,
	`{"Channel":"pc"}`,
	`{"citizen_hash":"x"}`,
	`{"dimensions":{"a":1,"a":2}}`,
	`{"channel":"pc"} {}`,
	`{"channel":"pc",}`,
	`{"channel":"\xff"}`,
	`[]`,
	``,
}

// TestDecodeJSONFast: what the fast decoder takes, it decodes as the
// general decoder does; the submissions clients send, it takes.
func TestDecodeJSONFast(t *testing.T) {
	for i, b := range bodies {
		var s Submission
		ok := s.DecodeJSONFast([]byte(b))
		if i < 6 && !ok {
			t.Errorf("left to the general decoder: %s", b)
		}
		if i >= 6 && ok {
			t.Errorf("taken, though the general decoder should answer: %s", b)
		}
		sameAsGeneral(t, []byte(b))
	}
}

// FuzzDecodeJSONFast holds the fast decoder to the general one's result
// (with httpjson.Decode's options) on whatever it takes.
func FuzzDecodeJSONFast(f *testing.F) {
	for _, b := range bodies {
		f.Add([]byte(b))
	}
	f.Fuzz(sameAsGeneral)
}

func sameAsGeneral(t *testing.T, data []byte) {
	var fast Submission
	if !fast.DecodeJSONFast(data) {
		if !reflect.DeepEqual(fast, Submission{}) {
			t.Fatalf("left %q to the general decoder, but changed the submission: %+v", data, fast)
		}
		return
	}
	var general Submission
	if err := json.Unmarshal(data, &general, json.RejectUnknownMembers(true)); err != nil {
		t.Fatalf("took %q, which the general decoder refuses: %v", data, err)
	}
	if !reflect.DeepEqual(fast, general) {
		t.Fatalf("%q: fast %+v, general %+v", data, fast, general)
	}
}

func BenchmarkDecodeSubmission(b *testing.B) {
	data := []byte(bodies[0])
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var s Submission
			if !s.DecodeJSONFast(data) {
				b.Fatal("not taken")
			}
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var s Submission
			if err := json.Unmarshal(data, &s, json.RejectUnknownMembers(true)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
