// Package checkpoint fixes the audit trail's head and each day's reviews
// outside the database: a signed line appended every hour to a file (and
// sent to the webhook) that later proves nothing before it changed, even
// to someone who could rewrite the database and recompute plain hashes.
package checkpoint

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Checkpoint is one signed line of the checkpoint file.
type Checkpoint struct {
	Seq  int64     `json:"seq"`  // the audit trail's last row
	Head string    `json:"head"` // and its chained hash
	At   time.Time `json:"at"`
	// Days maps a day (YYYY-MM-DD, the city's zone) to the digest of the
	// reviews given that day; each line carries the days that closed since
	// the one before it, and the day before those again.
	Days map[string]string `json:"days,omitempty"`
	Sig  string            `json:"sig"`
}

// Key is the signing key for seed (32 bytes, derived from the master key).
func Key(seed []byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed) }

// payload is what is signed: the line without its signature. Map keys are
// sorted by encoding/json, so the bytes are the same on every reading.
func (c Checkpoint) payload() []byte {
	c.Sig = ""
	b, _ := json.Marshal(c)
	return b
}

// Sign signs c with key.
func (c *Checkpoint) Sign(key ed25519.PrivateKey) {
	c.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.payload()))
}

// Line is c as one line of the file, newline included.
func (c Checkpoint) Line() []byte {
	b, _ := json.Marshal(c)
	return append(b, '\n')
}

// Append adds c to the end of file, creating it (0600), and syncs it.
func Append(file string, c Checkpoint) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	if _, err = f.Write(c.Line()); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("append checkpoint: %w", err)
	}
	return nil
}

// Read returns the checkpoints of file, each checked against pub, oldest
// first. A line that does not parse or whose signature fails is an error
// naming the line.
func Read(file string, pub ed25519.PublicKey) ([]Checkpoint, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("checkpoint file: %w", err)
	}
	var out []Checkpoint
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, apperr.New(apperr.Invalid, "checkpoint", "%s:%d: not a checkpoint: %v", file, n, err)
		}
		sig, err := base64.StdEncoding.DecodeString(c.Sig)
		if err != nil || !ed25519.Verify(pub, c.payload(), sig) {
			return nil, apperr.New(apperr.Conflict, "checkpoint", "%s:%d: the signature does not match: the line was altered or signed with another key", file, n)
		}
		if len(out) > 0 && c.Seq < out[len(out)-1].Seq {
			return nil, apperr.New(apperr.Conflict, "checkpoint", "%s:%d: audit row %d comes after a checkpoint at row %d", file, n, c.Seq, out[len(out)-1].Seq)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Invalid, "checkpoint", "%s holds no checkpoint", file)
	}
	return out, nil
}

// Source is what verification reads of the database.
type Source interface {
	// AuditHashAt is the chained hash of audit row seq; not found when the
	// row is missing.
	AuditHashAt(ctx context.Context, seq int64) (string, error)
	// ReviewDigest is the digest of the reviews given on day (city zone).
	ReviewDigest(ctx context.Context, day string) (string, int, error)
}

// Verify checks the database against cps: every checkpointed audit row
// still carries the hash it had, and every checkpointed day's reviews
// still hash to the digest of the latest line naming the day. It returns
// how many days it checked.
func Verify(ctx context.Context, src Source, cps []Checkpoint) (int, error) {
	for _, c := range cps {
		if c.Seq == 0 {
			continue
		}
		h, err := src.AuditHashAt(ctx, c.Seq)
		if apperr.CodeOf(err) == apperr.NotFound {
			return 0, apperr.New(apperr.Conflict, "audit", "audit row %d, in the checkpoint of %s, is missing", c.Seq, c.At.Format(time.RFC3339))
		}
		if err != nil {
			return 0, err
		}
		if h != c.Head {
			return 0, apperr.New(apperr.Conflict, "audit", "audit row %d differs from the checkpoint of %s: rows up to it were rewritten", c.Seq, c.At.Format(time.RFC3339))
		}
	}
	latest := map[string]Checkpoint{}
	for _, c := range cps {
		for day := range c.Days {
			latest[day] = c
		}
	}
	days := make([]string, 0, len(latest))
	for d := range latest {
		days = append(days, d)
	}
	sort.Strings(days)
	for _, day := range days {
		c := latest[day]
		got, n, err := src.ReviewDigest(ctx, day)
		if err != nil {
			return 0, err
		}
		if got != c.Days[day] {
			return 0, apperr.New(apperr.Conflict, "reviews", "the reviews of %s (%d now) differ from the checkpoint of %s: one was edited, added or deleted", day, n, c.At.Format(time.RFC3339))
		}
	}
	return len(days), nil
}
