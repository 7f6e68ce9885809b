package national

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

func mustMapping(tb testing.TB) *Mapping {
	tb.Helper()
	m, err := LoadMapping(CurrentMapping)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestMappingCoversHaochasCodes: every channel, star, tag, applicant and
// reviewer kind and Shanghai dimension has a national code, so no day's
// export stops on a code the core can produce.
func TestMappingCoversHaochasCodes(t *testing.T) {
	m := mustMapping(t)
	for _, c := range review.Channels {
		if _, err := m.lookup(m.Channels, "channel", string(c)); err != nil {
			t.Error(err)
		}
	}
	for _, tag := range review.Tags {
		if _, err := m.lookup(m.Tags, "tags", string(tag)); err != nil {
			t.Error(err)
		}
	}
	for _, d := range review.DefaultDimensions.Dimensions {
		if _, err := m.lookup(m.Dimensions, "dimensions", d.Code); err != nil {
			t.Error(err)
		}
	}
	for _, k := range []string{string(transaction.Person), string(transaction.Organisation)} {
		if _, err := m.lookup(m.ApplicantKinds, "applicant_kind", k); err != nil {
			t.Error(err)
		}
	}
	for _, k := range []review.ReviewerKind{review.Person, review.Business} {
		if _, err := m.lookup(m.ReviewerKinds, "reviewer_kind", string(k)); err != nil {
			t.Error(err)
		}
	}
	if m.Version == "" {
		t.Error("the mapping has no version id")
	}
}

// TestStarDirectionTurnsAtTheEdge: Haocha's 5 (very satisfied) is the
// national 1, its 1 the national 5; dimension scores turn alike.
func TestStarDirectionTurnsAtTheEdge(t *testing.T) {
	m := mustMapping(t)
	for _, tc := range []struct {
		stars int
		want  string
	}{{5, "1"}, {4, "2"}, {3, "3"}, {2, "4"}, {1, "5"}} {
		rec, err := m.Review(Review{ID: 1, At: time.Now(), Channel: "pc", Stars: tc.stars, ReviewerKind: "person",
			Scores: map[string]int{"efficiency": tc.stars}})
		if err != nil {
			t.Fatal(err)
		}
		if rec.SatisfactionCode != tc.want || rec.Dimensions[0] != (Score{"D02", tc.want}) {
			t.Errorf("%d stars: satisfaction %s, dimensions %v; want %s", tc.stars, rec.SatisfactionCode, rec.Dimensions, tc.want)
		}
	}
}

func sampleDay() Day {
	at := time.Date(2026, 7, 20, 9, 30, 15, 0, calendar.Zone)
	return Day{Date: "2026-07-20",
		Transactions: []*transaction.Transaction{{Number: "T1", Item: "GA-001", Stages: []string{"acceptance", "decision"},
			Unit: "310101", District: "310101", Hall: "H1", Window: "H1-W1", Workstation: "H1-W1-1", Channel: review.Window,
			Staff: "S1", ApplicantKind: transaction.Person, AcceptedAt: at, FinishedAt: at.Add(time.Hour), Phone: "13912345678"}},
		Reviews: []Review{
			{ID: 7, At: at, Channel: "window", Item: "GA-001", Stage: "acceptance", Unit: "310101", WS: "H1-W1-1",
				Stars: 2, Tags: []string{"attitude", "multiple_trips"}, Anonymous: true, ReviewerKind: "person", Transaction: "T1"},
			{ID: 8, At: at.Add(time.Minute), Channel: "app", Item: "GA-001", Stage: "decision", Unit: "GA", Stars: 5,
				ReviewerKind: "business", Transaction: "T1", Scores: map[string]int{"accuracy": 5, "innovation": 4}},
		}}
}

// TestAnonymousStaysAnonymous: an anonymous review goes out without its
// time of day or transaction number; a real-name one with both; neither
// carries a phone.
func TestAnonymousStaysAnonymous(t *testing.T) {
	m := mustMapping(t)
	day := sampleDay()
	anon, err := m.Review(day.Reviews[0])
	if err != nil {
		t.Fatal(err)
	}
	if anon.RatedAt != "" || anon.Transaction != "" || anon.RatedOn != "2026-07-20" {
		t.Errorf("anonymous review went out as %+v", anon)
	}
	if strings.Join(anon.Tags, ",") != "T01,T03" || anon.SatisfactionCode != "4" || anon.ChannelCode != "3" {
		t.Errorf("anonymous review mapped to %+v", anon)
	}
	named, err := m.Review(day.Reviews[1])
	if err != nil {
		t.Fatal(err)
	}
	if named.RatedAt != "2026-07-20T09:31:15+08:00" || named.Transaction != "T1" || named.ChannelCode != "2" {
		t.Errorf("real-name review went out as %+v", named)
	}
	exp, err := Build(m, day, Key(bytes.Repeat([]byte{1}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range exp.Data {
		if bytes.Contains(b, []byte("13912345678")) {
			t.Errorf("%s carries the applicant's phone", name)
		}
	}
}

// TestUnmappedCodeStopsTheExport: a code the mapping lacks is refused
// naming the field, never sent raw.
func TestUnmappedCodeStopsTheExport(t *testing.T) {
	m := mustMapping(t)
	day := sampleDay()
	day.Reviews[1].Scores = map[string]int{"usability": 3}
	_, err := Build(m, day, Key(bytes.Repeat([]byte{1}, 32)))
	if e := apperr.As(err); e == nil || e.Field != "dimensions.usability" || !strings.Contains(err.Error(), "review 8") {
		t.Fatalf("err = %v, want one naming review 8 and dimensions.usability", err)
	}
}

// TestManifestVerifies writes a day, checks its manifest, then changes a
// file, the manifest, and the key: each fails verification.
func TestManifestVerifies(t *testing.T) {
	m := mustMapping(t)
	key := Key(bytes.Repeat([]byte{7}, 32))
	pub := key.Public().(ed25519.PublicKey)
	write := func(t *testing.T) (string, []string) {
		t.Helper()
		exp, err := Build(m, sampleDay(), key)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		paths, err := exp.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, ManifestName("2026-07-20")), paths
	}
	manifest, paths := write(t)
	wantNames := []string{"national-2026-07-20-transactions.jsonl", "national-2026-07-20-transactions.csv",
		"national-2026-07-20-reviews.jsonl", "national-2026-07-20-reviews.csv", "national-2026-07-20-manifest.json"}
	for i, p := range paths {
		if filepath.Base(p) != wantNames[i] {
			t.Errorf("path %d = %s, want %s", i, p, wantNames[i])
		}
	}
	got, err := Verify(manifest, pub)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range got.Files {
		counts[f.Name] = f.Records
	}
	if got.MappingVersion != "haocha-national-1" || counts["national-2026-07-20-reviews.csv"] != 2 || counts["national-2026-07-20-transactions.jsonl"] != 1 {
		t.Errorf("manifest %+v", got)
	}
	reviews, _ := os.ReadFile(paths[2])
	if lines := strings.Split(strings.TrimSpace(string(reviews)), "\n"); len(lines) != 2 || !strings.Contains(lines[0], `"mapping_version":"haocha-national-1"`) {
		t.Errorf("reviews.jsonl:\n%s", reviews)
	}

	tests := []struct {
		name   string
		change func(manifest string, paths []string)
		field  string
	}{
		{"a changed file", func(_ string, paths []string) {
			b, _ := os.ReadFile(paths[3])
			os.WriteFile(paths[3], bytes.Replace(b, []byte(",4,"), []byte(",1,"), 1), 0o644) // a bad review made good
		}, "file"},
		{"a deleted file", func(_ string, paths []string) { os.Remove(paths[0]) }, "file"},
		{"an edited manifest", func(manifest string, _ []string) {
			b, _ := os.ReadFile(manifest)
			var mf Manifest
			json.Unmarshal(b, &mf)
			mf.Files[2].Records = 3
			b, _ = json.Marshal(mf)
			os.WriteFile(manifest, b, 0o644)
		}, "manifest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			manifest, paths := write(t)
			tc.change(manifest, paths)
			_, err := Verify(manifest, pub)
			if e := apperr.As(err); e == nil || e.Field != tc.field {
				t.Fatalf("err = %v, want a refusal on %s", err, tc.field)
			}
		})
	}
	other := Key(bytes.Repeat([]byte{8}, 32)).Public().(ed25519.PublicKey)
	if _, err := Verify(manifest, other); err == nil {
		t.Error("a manifest verified under another key")
	}
}

// TestExportIsStable: the same day gives the same bytes, so a retried push
// carries the same manifest.
func TestExportIsStable(t *testing.T) {
	m := mustMapping(t)
	key := Key(bytes.Repeat([]byte{3}, 32))
	a, err := Build(m, sampleDay(), key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(m, sampleDay(), key)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Data) == 0 || len(a.Data) != len(b.Data) {
		t.Fatalf("two builds of one day wrote %d and %d files", len(a.Data), len(b.Data))
	}
	for name := range a.Data {
		if !bytes.Equal(a.Data[name], b.Data[name]) {
			t.Errorf("%s differs between two builds of one day", name)
		}
	}
}
