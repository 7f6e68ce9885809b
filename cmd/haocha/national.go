package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/haocha/haocha/internal/national"
)

// runExport writes the national 好差评 exchange of a day, verifies one, or
// prints the public key its manifests are signed with.
func runExport(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("export: want national --date D [--out DIR], verify --manifest FILE or public-key")
	}
	sub, args := args[0], args[1:]
	db := dbFlag(fs)
	date := fs.String("date", "", "the day to export, YYYY-MM-DD in Asia/Shanghai (national)")
	dir := fs.String("out", ".", "directory the files are written to (national)")
	manifest := fs.String("manifest", "", "the manifest to check, its files beside it (verify)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	key := national.SigningKey(st.Keys)
	pub := key.Public().(ed25519.PublicKey)
	switch sub {
	case "national":
		if _, err := time.Parse(time.DateOnly, *date); err != nil {
			return fmt.Errorf("export national: --date: want a day like 2026-07-20, got %q", *date)
		}
		if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("export national: --out: %s is not a directory", *dir)
		}
		exp, err := national.Make(ctx, st, *date, key)
		if err != nil {
			return fmt.Errorf("export national: %w", err)
		}
		paths, err := exp.Write(*dir)
		if err != nil {
			return fmt.Errorf("export national: %w", err)
		}
		for _, p := range paths {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			fmt.Fprintln(out, p)
		}
		return nil
	case "verify":
		if *manifest == "" {
			return errors.New("export verify: --manifest: required")
		}
		m, err := national.Verify(*manifest, pub)
		if err != nil {
			return fmt.Errorf("export verify: BROKEN: %w", err)
		}
		fmt.Fprintf(out, "manifest of %s holds: signature by key %s, mapping %s, %d files unchanged\n",
			m.Date, m.KeyID, m.MappingVersion, len(m.Files))
		return nil
	case "public-key":
		fmt.Fprintf(out, "%s %s\n", base64.StdEncoding.EncodeToString(pub), national.KeyID(pub))
		return nil
	}
	return fmt.Errorf("export: unknown subcommand %q: want national, verify or public-key", sub)
}
