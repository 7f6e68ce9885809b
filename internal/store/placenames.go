package store

// The Go part of migration 0062: English names for the windows and
// workstations named in the usual pattern ("3号窗口2号工位").

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/catalog"
)

func backfillPlaceNamesEN(ctx context.Context, t tx) error {
	if err := backfillNamesEN(ctx, t, "windows", catalog.WindowNameEN); err != nil {
		return err
	}
	return backfillNamesEN(ctx, t, "workstations", catalog.WorkstationNameEN)
}

// backfillNamesEN sets name_en in table wherever derive knows the Chinese
// name. The table name is one of two constants, never input.
func backfillNamesEN(ctx context.Context, t tx, table string, derive func(string) string) error {
	rows, err := t.query(ctx, "SELECT code, name FROM "+table+" WHERE name_en = '' AND name LIKE ?", "%号%")
	if err != nil {
		return fmt.Errorf("%s to name in English: %w", table, err)
	}
	named := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			rows.Close()
			return err
		}
		if en := derive(name); en != "" {
			named[code] = en
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for code, en := range named {
		if _, err := t.exec(ctx, "UPDATE "+table+" SET name_en = ? WHERE code = ?", en, code); err != nil {
			return fmt.Errorf("%s %s: %w", table, code, err)
		}
	}
	return nil
}
