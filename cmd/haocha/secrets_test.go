package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/workorder"
)

// copyDB copies the SQLite database db, with its key file, to a new name
// in the same directory.
func copyDB(t *testing.T, db, name string) string {
	t.Helper()
	to := filepath.Join(filepath.Dir(db), name)
	for _, suffix := range []string{"", ".key", "-wal"} {
		b, err := os.ReadFile(db + suffix)
		if os.IsNotExist(err) && suffix == "-wal" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// tamper runs SQL on db as someone with the database but not the key.
func tamper(t *testing.T, db string, stmts ...string) {
	t.Helper()
	st, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range stmts {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rechainPlain rewrites the audit trail's hashes as bare SHA-256, the way
// the chain was computed before it was keyed: what an attacker with the
// database alone can do after editing a row.
func rechainPlain(t *testing.T, db string) {
	t.Helper()
	st, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query("SELECT seq, at, actor, action, COALESCE(work_order, 0), from_state, to_state, note FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ seq, hash string }
	var out []row
	prev := strings.Repeat("0", 64)
	for rows.Next() {
		var seq, at, wo int64
		var actor, action, from, to, note string
		if err := rows.Scan(&seq, &at, &actor, &action, &wo, &from, &to, &note); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, f := range []string{strconv.FormatInt(seq, 10), strconv.FormatInt(at, 10), actor, action, strconv.FormatInt(wo, 10), from, to, note, prev} {
			fmt.Fprintf(h, "%d:%s|", len(f), f)
		}
		hash := hex.EncodeToString(h.Sum(nil))
		out = append(out, row{strconv.FormatInt(seq, 10), prev + " " + hash})
		prev = hash
	}
	rows.Close()
	for _, r := range out {
		p, h, _ := strings.Cut(r.hash, " ")
		if _, err := st.DB().Exec("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", p, h, r.seq); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.DB().Exec("UPDATE settings SET value = ? WHERE name = 'audit_head'", fmt.Sprintf("%d:%s", len(out), prev)); err != nil {
		t.Fatal(err)
	}
}

// TestAuditVerifyCheckpoint: after a checkpoint, `haocha audit verify
// --checkpoint` passes on the untouched database and fails, naming what
// changed, when a review's stars are edited, a review is deleted, an audit
// row is edited and the chain recomputed with plain hashes (even when the
// attacker also makes the server re-sign the chain), or the checkpoint
// line itself is altered.
func TestAuditVerifyCheckpoint(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	if err := run(ctx, []string{"demo", "--db", db, "--reviews", "300", "--days", "3", "--seed", "5"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "h.checkpoints")
	st, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sch := scheduler.New(st, log, notify.Log{Log: log}, workorder.DefaultRules)
	sch.CheckpointFile = file
	if ok, err := sch.Checkpoint(ctx); !ok || err != nil {
		t.Fatalf("checkpoint: %v %v", ok, err)
	}
	if ok, _ := sch.Checkpoint(ctx); ok {
		t.Error("a second checkpoint within the hour was written")
	}
	st.Close()

	verify := func(db, file string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, []string{"audit", "verify", "--db", db, "--checkpoint", file}, &out, io.Discard)
		return out.String(), err
	}
	if out, err := verify(db, file); err != nil || !strings.Contains(out, "the reviews of 3 days unchanged") {
		t.Fatalf("untouched database: %q, %v", out, err)
	}
	first := "(SELECT MIN(id) FROM reviews)"
	tests := []struct {
		name    string
		change  func(db string)
		wantErr string
	}{
		{"stars edited", func(db string) {
			tamper(t, db, "UPDATE reviews SET stars = CASE WHEN stars = 5 THEN 4 ELSE 5 END WHERE id = "+first)
		}, "differ from the checkpoint"},
		{"review deleted", func(db string) {
			tamper(t, db, "DELETE FROM reviews WHERE id = "+first)
		}, "differ from the checkpoint"},
		{"audit row edited, chain recomputed", func(db string) {
			tamper(t, db, "UPDATE audit_log SET note = 'nothing happened' WHERE seq = 2")
			rechainPlain(t, db)
		}, "row 1 was edited"},
		{"audit row edited, chain recomputed, server made to re-sign it", func(db string) {
			tamper(t, db, "UPDATE audit_log SET note = 'nothing happened' WHERE seq = 2")
			rechainPlain(t, db)
			tamper(t, db, "DELETE FROM settings WHERE name = 'audit_scheme'")
		}, "differs from the checkpoint"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := copyDB(t, db, fmt.Sprintf("t%d.db", i))
			tt.change(c)
			out, err := verify(c, file)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("verify after %s: %q, %v; want an error with %q", tt.name, out, err, tt.wantErr)
			}
		})
	}
	t.Run("checkpoint line altered", func(t *testing.T) {
		b, _ := os.ReadFile(file)
		forged := filepath.Join(dir, "forged.checkpoints")
		os.WriteFile(forged, bytes.Replace(b, []byte(`"seq":`), []byte(`"seq":1`), 1), 0o600)
		if _, err := verify(db, forged); err == nil || !strings.Contains(err.Error(), "signature does not match") {
			t.Errorf("a forged checkpoint: %v", err)
		}
	})
}
