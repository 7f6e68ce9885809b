package board_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store/storetest"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/v2_boards.sha256 from the boards computed now")

// Old periods keep their figures (issues 16 and 18): every board of a
// period under definition version 2 (the 30 days to 5 December 2026, the
// day before version 3) is byte for byte what it was before version 3
// existed. testdata/v2_boards.sha256 holds the SHA-256 of each scope's
// board as JSON, written by `go test -run TestVersion2BoardsUnchanged
// -update` on the commit before version 3 (main at e920293).
func TestVersion2BoardsUnchanged(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 12, 5, 16, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(ctx, st, demo.Options{Reviews: 1500, Bad: 150, Seed: 16, Days: 20, Now: now}); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 11, 6, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 12, 5, 0, 0, 0, 0, calendar.Zone)
	got := map[string]string{}
	var lines []string
	for _, sc := range index.Scopes {
		b, err := board.Compute(ctx, st, sc, "", from, to)
		if err != nil {
			t.Fatal(err)
		}
		if b.DefinitionVersion != 2 {
			t.Fatalf("the board of %s ending %s is under version %d, want 2", sc, to.Format(time.DateOnly), b.DefinitionVersion)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		got[string(sc)] = fmt.Sprintf("%x", sha256.Sum256(raw))
		lines = append(lines, string(sc)+" "+got[string(sc)]+" "+fmt.Sprint(len(b.Ranked)+len(b.Insufficient)))
	}
	const golden = "testdata/v2_boards.sha256"
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	seen := 0
	for sc.Scan() {
		var scope, sum string
		var members int
		if _, err := fmt.Sscan(sc.Text(), &scope, &sum, &members); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		seen++
		if got[scope] != sum {
			t.Errorf("the version 2 board of %s (%d members before) is no longer the same bytes", scope, members)
		}
	}
	if seen != len(index.Scopes) {
		t.Errorf("%s holds %d scopes, want %d", golden, seen, len(index.Scopes))
	}
}
