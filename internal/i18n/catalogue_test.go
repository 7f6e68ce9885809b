package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogueComplete: every phrase has both languages, and both carry
// the same fmt verbs in the same order, so Tf fills either alike.
func TestCatalogueComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for k, p := range phrases {
		if strings.TrimSpace(p.zh) == "" || strings.TrimSpace(p.en) == "" {
			t.Errorf("%s: zh %q, en %q: both languages are needed", k, p.zh, p.en)
		}
		if z, e := verbs.FindAllString(p.zh, -1), verbs.FindAllString(p.en, -1); strings.Join(z, " ") != strings.Join(e, " ") {
			t.Errorf("%s: verbs %v in zh, %v in en", k, z, e)
		}
	}
}

// dynamic are the key families the code builds from a value ("act." +
// the audit action, "tag." + the problem tag, ...) rather than naming each
// key: their members count as used. Keep it short: a family here is one
// whose members TestNoUnusedPhrases cannot see.
var dynamic = []string{
	"act.", "role.", "order.state.", "state.", "tag.", "stars.", "complexity.",
	"routing.why.", "routing.done.", "routing.kind.", "acct.done.", "err.", "find.err.",
	"suspect.done.", "suspect.reason.", "peers.", "rep.format.", "follow.step.", "story.",
	"unit.kind.", "channel.", "csv.", "apperr.", "kind.", "appeal.", "device.", "alert.state.", "history.step.", "span.",
	"flag.screening.", "sort.",
	"cause.code.", "cause.contest.", "cause.queue.",
	"report.month.", "report.quarter.", "report.scope.",
}

// sources is the text of every Go, template and script file of the
// program outside this package's catalogue.
func sources(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, dir := range []string{"..", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if filepath.Base(path) == "catalogue.go" {
				return nil
			}
			switch filepath.Ext(path) {
			case ".go", ".html", ".js", ".tmpl":
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				b.Write(data)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return b.String()
}

// TestNoUnusedPhrases: every key is named somewhere in the program, or
// belongs to a family the code builds; a phrase nobody shows is dead
// weight that still has to be translated.
func TestNoUnusedPhrases(t *testing.T) {
	src := sources(t)
next:
	for k := range phrases {
		for _, p := range dynamic {
			if strings.HasPrefix(k, p) {
				continue next
			}
		}
		if !strings.Contains(src, `"`+k+`"`) {
			t.Errorf("%s is in the catalogue but nothing shows it", k)
		}
	}
}

// TestEachPhraseOnce: no two keys carry the same phrase in both languages;
// one meaning has one key, so its translation cannot drift apart (样本不足
// was "Too few reviews" on the dashboard and "Too few" on public pages).
// Members of a family the code builds are exempt: the family needs a
// member for each value it is built from, whatever another key says.
func TestEachPhraseOnce(t *testing.T) {
	seen := map[phrase]string{}
	for _, k := range Keys("") {
		if isDynamic(k) {
			continue
		}
		p := phrases[k]
		if first, ok := seen[p]; ok {
			t.Errorf("%s repeats %s: %q / %q", k, first, p.zh, p.en)
		}
		seen[p] = k
	}
}

func isDynamic(k string) bool {
	for _, p := range dynamic {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// TestNamedKeysExist: every key a template or Go call names outright is in
// the catalogue; a missing one would show raw on the page, as
// call.from_unit did on the order page.
func TestNamedKeysExist(t *testing.T) {
	named := regexp.MustCompile(`\b(?:Tf?|tr \$?[\w.]+|tr\(\w+,)[ (]"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)"`)
	seen := map[string]bool{}
	for _, m := range named.FindAllStringSubmatch(sources(t), -1) {
		if k := m[1]; !Has(k) && !seen[k] {
			seen[k] = true
			t.Errorf("%s is shown but not in the catalogue", k)
		}
	}
	if len(seen) == 0 && !Has("skip") {
		t.Fatal("the catalogue is empty")
	}
}
