package backup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// pgConn is a Haocha PostgreSQL DSN as the PostgreSQL client programs
// take it: the URL without what libpq does not know (search_path, a pgx
// run-time parameter, becomes the schema to dump or restore) and without
// the password, which goes in the environment so that ps does not show it.
type pgConn struct {
	url    string
	schema string   // the DSN's search_path; "" for the default
	env    []string // the child's environment
}

func parsePostgres(dsn string) (pgConn, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return pgConn{}, fmt.Errorf("database URL: %w", err)
	}
	c := pgConn{env: os.Environ()}
	q := u.Query()
	c.schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	if pw, ok := u.User.Password(); ok {
		c.env = append(c.env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	c.url = u.String()
	return c, nil
}

// dumpPostgres writes a pg_dump custom-format archive of the database (of
// its schema alone, when the DSN names one) to file. pg_dump reads one
// snapshot: intake goes on meanwhile.
func dumpPostgres(ctx context.Context, dsn, file string) error {
	pgDump, err := tool("pg_dump")
	if err != nil {
		return err
	}
	c, err := parsePostgres(dsn)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--no-acl", "--file=" + file}
	if c.schema != "" {
		args = append(args, "--schema="+c.schema)
	}
	return runTool(ctx, c, pgDump, append(args, "--dbname="+c.url)...)
}

// restorePostgres loads a pg_dump archive into the database dsn in one
// transaction: a restore that fails leaves the target as it was.
func restorePostgres(ctx context.Context, dsn, in string, force bool) error {
	pgRestore, err := tool("pg_restore")
	if err != nil {
		return err
	}
	c, err := parsePostgres(dsn)
	if err != nil {
		return err
	}
	if err := sameSchema(ctx, c, pgRestore, in); err != nil {
		return err
	}
	if n, err := tablesIn(ctx, dsn); err != nil {
		return fmt.Errorf("restore: read the target: %w", err)
	} else if n > 0 && !force {
		return fmt.Errorf("restore: the target database holds %d tables already; restore into a new database, or give --force to replace them", n)
	}
	args := []string{"--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"}
	if force {
		args = append(args, "--clean", "--if-exists")
	}
	if err := runTool(ctx, c, pgRestore, append(args, "--dbname="+c.url, in)...); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// schemaEntry is a schema in pg_restore --list: "; 2615 2200 SCHEMA - name owner".
var schemaEntry = regexp.MustCompile(`(?m)^\d+; \d+ \d+ SCHEMA - (\S+) `)

// sameSchema refuses a restore whose archive would land in another schema
// than the one the target DSN reads: pg_restore cannot rename a schema.
func sameSchema(ctx context.Context, c pgConn, pgRestore, in string) error {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, pgRestore, "--list", in)
	cmd.Stdout, cmd.Env = &out, c.env
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("restore: %s is not a pg_dump archive (made by haocha backup of a PostgreSQL database?): %w", in, err)
	}
	reads := c.schema
	if reads == "" {
		reads = "public"
	}
	var holds []string
	for _, m := range schemaEntry.FindAllStringSubmatch(out.String(), -1) {
		if m[1] == reads {
			return nil
		}
		holds = append(holds, m[1])
	}
	if len(holds) == 0 {
		if reads == "public" {
			return nil // a whole database's dump: public is not listed
		}
		holds = []string{"public"}
	}
	return fmt.Errorf("restore: the backup holds schema %s but the target reads %s; name the backup's schema as search_path in --db",
		strings.Join(holds, ", "), reads)
}

func runTool(ctx context.Context, c pgConn, path string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Stderr = c.env, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
