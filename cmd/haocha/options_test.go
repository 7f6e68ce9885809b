package main

import (
	"context"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// subcommands lists what each command takes before its flags, so that the
// test reaches every flag a command defines (they are defined per call).
var subcommands = map[string][]string{
	"user":     {"add", "token", "list", "disable", "enable", "unlock", "reset-password", "revoke-token", "tokens"},
	"audit":    {"verify"},
	"index":    {"verify"},
	"export":   {"national", "verify", "public-key"},
	"keys":     {"rotate"},
	"calendar": {"import"},
}

// codeFlags asks each command for its flags, as `haocha COMMAND [SUB] -h`
// would, and returns the command names that define each flag.
func codeFlags(t *testing.T) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, c := range commands {
		subs := subcommands[c.name]
		if len(subs) == 0 {
			subs = []string{""}
		}
		for _, sub := range subs {
			fs := flag.NewFlagSet("haocha "+c.name, flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			args := []string{"-h"}
			if sub != "" {
				args = []string{sub, "-h"}
			}
			c.run(context.Background(), fs, args, io.Discard)
			fs.VisitAll(func(f *flag.Flag) {
				if !slices.Contains(got[f.Name], c.name) {
					got[f.Name] = append(got[f.Name], c.name)
				}
			})
		}
	}
	return got
}

var (
	tableRow = regexp.MustCompile("^\\| *(?:`--([a-z0-9-]+)`|—) *\\| *(?:`(HAOCHA_[A-Z0-9_]+)`|—) *\\| *([^|]+?) *\\|")
	envName  = regexp.MustCompile(`"(HAOCHA_[A-Z0-9_]+)"`)
)

// TestOptionsTable keeps docs/operating.md's table of flags and variables in
// step with the code: every flag of every command, and every HAOCHA_
// variable the code reads, has its row, and no row names what is gone.
func TestOptionsTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operating.md")
	if err != nil {
		t.Fatal(err)
	}
	docFlags := map[string][]string{}
	docEnv := map[string]bool{}
	for line := range strings.Lines(string(doc)) {
		m := tableRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[2] != "" {
			docEnv[m[2]] = true
		}
		if m[1] == "" {
			continue
		}
		for _, c := range strings.Split(m[3], ",") {
			docFlags[m[1]] = append(docFlags[m[1]], strings.TrimSpace(c))
		}
	}
	for name, cmds := range codeFlags(t) {
		for _, c := range cmds {
			if !slices.Contains(docFlags[name], c) {
				t.Errorf("docs/operating.md: no row gives --%s for %q", name, c)
			}
		}
	}
	code := codeFlags(t)
	for name, cmds := range docFlags {
		for _, c := range cmds {
			if !slices.Contains(code[name], c) {
				t.Errorf("docs/operating.md gives --%s for %q, which has no such flag", name, c)
			}
		}
	}
	for _, v := range codeEnv(t) {
		if !docEnv[v] {
			t.Errorf("docs/operating.md: the code reads %s, which no row of the table names", v)
		}
	}
}

// codeEnv returns every HAOCHA_ variable named in the Go code of the
// module, tests and test helpers included (they are in the table too).
func codeEnv(t *testing.T) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range envName.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
