package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/haocha/haocha/internal/backup"
)

func runBackup(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	file := fs.String("out", "", "the backup file to write (must not exist): a SQLite copy, or a pg_dump custom-format archive for PostgreSQL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("backup: --out FILE is required")
	}
	if err := backup.Backup(ctx, *db, *file); err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %s to %s\n", *db, *file)
	if k := backup.MasterKey(ctx, *db); k != "" {
		fmt.Fprintf(out, "the master keys are not in the backup: keep the key file holding key %s with it, apart\n", k)
	}
	return nil
}

func runRestore(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	file := fs.String("in", "", "the backup file to restore, made by haocha backup")
	force := fs.Bool("force", false, "replace a target database that holds tables already")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("restore: --in FILE is required")
	}
	if err := backup.Restore(ctx, *db, *file, *force); err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s into %s\n", *file, *db)
	if k := backup.MasterKey(ctx, *db); k != "" {
		fmt.Fprintf(out, "start it with the key file holding master key %s (HAOCHA_KEY_FILE)\n", k)
	}
	return nil
}
