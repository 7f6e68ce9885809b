package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
)

// The language walk (issue 19, "one language per page"): every GET page of
// the console and the public site, and every CSV and HTML export, in both
// languages, as a caller who may see it, with the demo city's data. A page
// fails on a raw catalogue key, on Han characters in English outside names
// that have no English, and on Latin words in Chinese outside codes and
// proper names.

// walkSkip are GET routes that are not pages: data for programs, files,
// streams and redirects.
var walkSkip = []string{"/api/", "/open311/", "/static/", "/console/static/", "/healthz", "/metrics",
	"/device/events", "/device/state", "/prefs", "/qr/{file}"}

// walkCalendarSample is the calendar import's example: a file format,
// whose column names and kinds are typed in Latin letters in any language.
const walkCalendarSample = `placeholder="date,kind,name&#10;2027-01-01,holiday,元旦"`

// walkSample are the demo records the walk substitutes into patterns.
type walkSample struct {
	order, unit, alert, period, hall, item, workstation string
}

func sampleRecords(t *testing.T) walkSample {
	t.Helper()
	ctx := context.Background()
	s := walkSample{hall: hall, item: item, workstation: workstation}
	db := haocha.Store.DB()
	// The order with the most rounds has the longest history.
	must(t, db.QueryRowContext(ctx, "SELECT number, unit FROM work_orders WHERE unit <> '' ORDER BY round DESC, id LIMIT 1").Scan(&s.order, &s.unit))
	must(t, db.QueryRowContext(ctx, "SELECT CAST(id AS TEXT) FROM alerts ORDER BY id LIMIT 1").Scan(&s.alert))
	// Last month's report, issued as the scheduler issues it: every
	// format, in both languages.
	now := haocha.Store.Now()
	p, err := report.ParsePeriod(now.AddDate(0, -1, 0).Format("2006-01"))
	must(t, err)
	r, err := report.Build(ctx, haocha.Store, haocha.Store, p, now)
	must(t, err)
	files, err := r.Issue()
	must(t, err)
	_, err = haocha.Store.SaveReports(ctx, files, "test")
	must(t, err)
	s.period = p.String()
	return s
}

// walkPaths are the paths of a GET pattern to visit.
func walkPaths(pattern string, s walkSample) []string {
	r := strings.NewReplacer("{$}", "", "{ref}", s.order, "{id}", s.alert, "{period}", s.period, "{name}", "walk-admin",
		"{token}", "no-such-token", "{workstation}", s.workstation)
	switch pattern {
	case "/halls/{code}":
		return []string{"/halls/" + s.hall}
	case "/items/{code}", "/items/{code}/rate":
		return []string{strings.ReplaceAll(pattern, "{code}", s.item)}
	case "/units/{code}":
		// The order's unit, and the district that runs the sample hall,
		// whose page ranks the workstations of its halls.
		return []string{"/units/" + s.unit, "/units/310101"}
	case "/units/{code}/rate":
		return []string{strings.ReplaceAll(pattern, "{code}", s.unit)}
	case "/r/{workstation}":
		return []string{landing(s.workstation)}
	case "/console/reports/{period}/{format}":
		return []string{r.Replace("/console/reports/{period}/csv"), r.Replace("/console/reports/{period}/html"),
			r.Replace("/console/reports/{period}/xlsx")}
	case "/console/summary/export":
		return []string{pattern + "?format=csv"}
	case "/console/assessment":
		return []string{pattern, pattern + "?format=csv"}
	}
	return []string{r.Replace(pattern)}
}

func TestLanguageWalk(t *testing.T) {
	s := sampleRecords(t)
	loadAllowedHan(t)
	// A client per role, logged in; the public walks without one.
	clients := map[account.Role]*client{"": newClient(t)}
	for _, role := range []account.Role{account.Operator, account.Handler, account.Supervisor, account.Admin} {
		name := "walk-" + string(role)
		unit := ""
		if role == account.Handler {
			unit = s.unit
		}
		staffAccount(t, name, role, unit)
		c := newClient(t)
		c.login(name)
		clients[role] = c
	}
	var findings []string
	visited := 0
	for _, rt := range haocha.Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodGet || skipped(pattern) {
			continue
		}
		c := clients[""]
		if !rt.Access.Public {
			c = nil
			for _, role := range []account.Role{account.Supervisor, account.Operator, account.Handler, account.Admin} {
				if rt.Access.Allows(role) {
					c = clients[role]
					break
				}
			}
			if c == nil {
				continue // the staff member's own page: TestLanguageWalkStaff
			}
		}
		for _, path := range walkPaths(pattern, s) {
			for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
				resp, body := c.get(withLang(path, lang))
				if resp.StatusCode >= 300 && resp.StatusCode < 400 {
					continue // a redirect, not a page
				}
				if resp.StatusCode >= 500 {
					t.Errorf("GET %s (%s): %d", path, lang, resp.StatusCode)
					continue
				}
				visited++
				// An issued report (/console/reports/…) is walked like any
				// page: it is issued in both languages and served in the
				// reader's.
				for _, f := range languageFaults(lang, resp.Header.Get("Content-Type"), body) {
					findings = append(findings, fmt.Sprintf("%s %s: %s", lang, path, f))
				}
			}
		}
	}
	if visited < 60 {
		t.Errorf("the walk saw %d pages; the route table should give more", visited)
	}
	sort.Strings(findings)
	for _, f := range findings {
		t.Error(f)
	}
}

func skipped(pattern string) bool {
	for _, p := range walkSkip {
		if strings.HasPrefix(pattern, p) || pattern == p {
			return true
		}
	}
	return false
}

func withLang(path string, l i18n.Lang) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + string(l)
}

var (
	scriptRE  = regexp.MustCompile(`(?is)<(script|style|code)\b.*?</(script|style|code)>|<!--.*?-->`)
	attrRE    = regexp.MustCompile(`(?i)\b(?:title|aria-label|placeholder|alt|data-label)="([^"]*)"`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	keyRE     = regexp.MustCompile(`(?:^|[^/@\w.-])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\b`)
	hanRE     = regexp.MustCompile(`\p{Han}[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}\d·“”]*`)
	latinRE   = regexp.MustCompile(`[A-Za-z][A-Za-z'’]*`)
	codeishRE = regexp.MustCompile(`^[A-Z]{1,6}$`)
)

// visibleText is what a reader of the page or file sees: text and the
// attributes read aloud or shown, without scripts and styles.
func visibleText(contentType, body string) string {
	body = strings.ReplaceAll(body, walkCalendarSample, "")
	if strings.Contains(contentType, "csv") {
		return csvText(strings.TrimPrefix(body, "\ufeff"))
	}
	if strings.Contains(contentType, "spreadsheetml") {
		return workbookText(body)
	}
	if !strings.Contains(contentType, "html") {
		return body
	}
	body = scriptRE.ReplaceAllString(body, " ")
	var b strings.Builder
	for _, m := range attrRE.FindAllStringSubmatch(body, -1) {
		b.WriteString(m[1] + "\n")
	}
	b.WriteString(tagRE.ReplaceAllString(body, "\n"))
	return html.UnescapeString(b.String())
}

// csvText is a CSV's cells without its code column, whose values are
// codes in any language ("310101", "city").
func csvText(body string) string {
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		return body
	}
	code := -1
	for i, h := range recs[0] {
		if h == "代码" || h == "Code" {
			code = i
		}
	}
	var b strings.Builder
	for _, rec := range recs {
		for i, c := range rec {
			if i != code {
				b.WriteString(c + "\n")
			}
		}
	}
	return b.String()
}

// workbookText is every sheet's name and cells but the code column's, as
// csvText reads a CSV.
func workbookText(body string) string {
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		return "unreadable workbook: " + err.Error()
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		b.WriteString(sheet + "\n")
		rows, err := f.GetRows(sheet)
		if err != nil {
			return "unreadable sheet: " + err.Error()
		}
		var w strings.Builder
		cw := csv.NewWriter(&w)
		_ = cw.WriteAll(rows)
		b.WriteString(csvText(w.String()))
	}
	return b.String()
}

// keyHeads are the first parts of the catalogue's keys ("act", "call", ...):
// a dotted word starting with one of them on a page is a key shown raw.
var keyHeads = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range i18n.Keys("") {
		head, _, _ := strings.Cut(k, ".")
		m[head] = true
	}
	return m
}()

// languageFaults lists what is wrong with body in lang.
func languageFaults(lang i18n.Lang, contentType, body string) []string {
	text := visibleText(contentType, body)
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, m := range keyRE.FindAllStringSubmatch(text, -1) {
		head, _, _ := strings.Cut(m[1], ".")
		if keyHeads[head] {
			add("raw key " + m[1])
		}
	}
	if lang == i18n.EN {
		for _, h := range hanRE.FindAllString(text, -1) {
			if !walkNames.allowedHan(h) {
				add("Han in English: " + h)
			}
		}
		for _, p := range []string{"：", "、"} {
			if strings.Contains(text, p) {
				add("Chinese punctuation in English: " + p)
			}
		}
		return out
	}
	for _, w := range latinWords(text) {
		if !allowedLatin(w) && !walkNames.allowedLatin(w) {
			add("Latin in Chinese: " + w)
		}
	}
	return out
}

// latinWords are the words of text in Latin letters that are not part of
// a code (a letter run touching a digit or a hyphenated code: SHRSJ-001).
func latinWords(text string) []string {
	var out []string
	for _, loc := range latinRE.FindAllStringIndex(text, -1) {
		w := text[loc[0]:loc[1]]
		before, after := rune(0), rune(0)
		if loc[0] > 0 {
			before = lastRune(text[:loc[0]])
		}
		if loc[1] < len(text) {
			after = []rune(text[loc[1]:])[0]
		}
		if unicode.IsDigit(before) || unicode.IsDigit(after) || after == '-' || before == '-' || before == '_' || after == '_' ||
			after == '.' && loc[1]+1 < len(text) && text[loc[1]+1] != ' ' && text[loc[1]+1] != '\n' || before == '.' || before == '/' || before == '@' {
			continue
		}
		out = append(out, w)
	}
	return out
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

// allowedLatin are the Latin words a Chinese page may show: acronyms and
// the few names that are written in Latin letters in Chinese too.
func allowedLatin(w string) bool {
	if codeishRE.MatchString(w) {
		return true // QR, CSV, PDF, ID, API, SMS
	}
	switch w {
	case "English", // the language switch names the other language in its own words
		"n", "Haocha", "Excel":
		return true
	}
	return false
}

// hanAllowed knows the Chinese texts an English page may show: what people
// wrote (comments, replies, notes) and names that have no English, read
// from where they are kept.
type hanAllowed struct {
	texts  string
	logins map[string]bool // account names are identifiers, in Latin letters in any language
}

// walkAllowedSources are the queries of those texts; nothing else in
// Chinese may show on an English page.
var walkAllowedSources = []string{
	"SELECT comment FROM reviews", // the citizen's words
	"SELECT note || findings || rectification || answer || reason FROM work_order_steps", // staff's and citizens' words
	"SELECT note FROM audit_log",                      // notes staff typed
	"SELECT name FROM staff",                          // people's names
	"SELECT display_name FROM users",                  // people's names: the 12345 operators'
	"SELECT name FROM calendar_days",                  // holiday names as the State Council gives them
	"SELECT address FROM halls WHERE address_en = ''", // a hall without an English address shows its Chinese one
	"SELECT name_zh FROM units WHERE name_en = ''",
	"SELECT name_zh FROM items WHERE name_en = ''",
	"SELECT name_zh FROM halls WHERE name_en = ''",
	"SELECT name FROM windows WHERE name_en = ''",
	"SELECT name FROM workstations WHERE name_en = ''",
}

var walkNames = &hanAllowed{}

func loadAllowedHan(t *testing.T) {
	t.Helper()
	var b strings.Builder
	b.WriteString("中文\n") // the language switch names the other language in its own words
	for _, q := range walkAllowedSources {
		rows, err := haocha.Store.DB().QueryContext(context.Background(), q)
		must(t, err)
		for rows.Next() {
			var s string
			must(t, rows.Scan(&s))
			b.WriteString(s + "\n")
		}
		must(t, rows.Err())
		rows.Close()
	}
	walkNames.texts = b.String()
	walkNames.logins = map[string]bool{}
	rows, err := haocha.Store.DB().QueryContext(context.Background(), "SELECT login FROM users")
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		var l string
		must(t, rows.Scan(&l))
		walkNames.logins[l] = true
	}
}

func (a *hanAllowed) allowedLatin(w string) bool { return a.logins[w] }

func (a *hanAllowed) allowedHan(h string) bool {
	h = strings.TrimRightFunc(h, unicode.IsPunct)
	return strings.Contains(a.texts, h)
}

// TestConsoleLanguageSticks: /console/?lang=en opens the console in English,
// and the pages it redirects and links to stay in English without ?lang=.
func TestConsoleLanguageSticks(t *testing.T) {
	staffAccount(t, "stick-supervisor", account.Supervisor, "")
	c := newClient(t)
	c.login("stick-supervisor")
	resp, _ := c.get("/console/?lang=en")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/console/?lang=en: %d, want a redirect to the role's first page", resp.StatusCode)
	}
	to := resp.Header.Get("Location")
	for _, path := range []string{to, "/console/orders", "/console/alerts", "/console/staff-ranking"} {
		if page := c.page(path); !strings.Contains(page, `<html lang="en"`) {
			t.Errorf("%s after /console/?lang=en is not in English", path)
		}
	}
	c.get("/console/orders?lang=zh")
	if page := c.page("/console/alerts"); !strings.Contains(page, `<html lang="zh-CN"`) {
		t.Error("switching back to Chinese does not stick")
	}
}
