package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/checkpoint"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/store"
)

// retentionFlag is --contact-retention: how long a reviewer's contact is
// kept after the order closes, in years (3y), days (90d) or a Go duration;
// 0 keeps contacts for ever.
func retentionFlag(fs *flag.FlagSet) *time.Duration {
	d := scheduler.DefaultRetention
	if v := os.Getenv("HAOCHA_CONTACT_RETENTION"); v != "" {
		if p, err := parseRetention(v); err == nil {
			d = p
		}
	}
	fs.Func("contact-retention", "erase reviewer contacts this long after the order closes: 3y, 400d or a duration; 0 keeps them (env HAOCHA_CONTACT_RETENTION; default 3y)", func(s string) error {
		p, err := parseRetention(s)
		d = p
		return err
	})
	return &d
}

func parseRetention(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"y": 365 * 24 * time.Hour, "d": 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("contact-retention: %q is not a count of %s", s, map[string]string{"y": "years", "d": "days"}[suffix])
			}
			return time.Duration(v) * unit, nil
		}
	}
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("contact-retention: want 3y, 400d or a duration, not %q", s)
	}
	return d, nil
}

// verifyCheckpoints proves the database against the checkpoint file.
func verifyCheckpoints(ctx context.Context, st *store.Store, file string, out io.Writer) error {
	pub := checkpoint.Key(st.Keys.Derive("checkpoint", 32)).Public().(ed25519.PublicKey)
	cps, err := checkpoint.Read(file, pub)
	if err != nil {
		return fmt.Errorf("checkpoints BROKEN: %w", err)
	}
	days, err := checkpoint.Verify(ctx, st, cps)
	if err != nil {
		return fmt.Errorf("audit trail BROKEN: %w", err)
	}
	last := cps[len(cps)-1]
	fmt.Fprintf(out, "checkpoints hold: %d lines, the last at row %d (%s); the reviews of %d days unchanged\n",
		len(cps), last.Seq, last.At.Format(time.RFC3339), days)
	return nil
}

func runKeys(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		return fmt.Errorf("keys: want rotate")
	}
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Keys.File != "" {
		k, err := st.Keys.Rotate()
		if err != nil {
			return err
		}
		if err := st.Audit(ctx, audit.Entry{Actor: "cli:keys rotate", Action: "rotate_key", Note: "master key " + k.ID + " added; it seals reviewer contacts from now on"}); err != nil {
			return err
		}
		fmt.Fprintf(out, "new key %s added to %s\n", k.ID, st.Keys.File)
	}
	all, err := st.Contacts(ctx)
	if err != nil {
		return err
	}
	bar := progress.New(progressOut(fs), all, "re-encrypt contacts")
	n, err := st.ResealContactsCounted(ctx, "cli:keys rotate", func(read int) { bar.Add(int64(read)) })
	bar.Finish()
	if err != nil {
		return fmt.Errorf("re-encrypt contacts: %w", err)
	}
	fmt.Fprintf(out, "%d reviewer contacts re-encrypted with key %s\n", n, st.Keys.Current().ID)
	if n, err = st.ResealTransactionPhones(ctx, "cli:keys rotate"); err != nil {
		return fmt.Errorf("re-encrypt transaction phones: %w", err)
	}
	fmt.Fprintf(out, "%d applicant phones re-encrypted with key %s\n", n, st.Keys.Current().ID)
	return nil
}
