package console_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/store/storetest"
)

// storedContact reads the reviewer contact rows as the database holds them.
func storedContact(t *testing.T, e *env) (name, phone string) {
	t.Helper()
	err := e.st.DB().QueryRowContext(context.Background(), "SELECT name, phone FROM review_contacts").Scan(&name, &phone)
	if err != nil {
		t.Fatal(err)
	}
	return name, phone
}

// TestContactsSealedAtRestAndNeverLogged: a real-name reviewer's name and
// phone are stored sealed (a copy of the database does not show them), the
// operator and the unit still see what their role allows, and nothing of
// them reaches the server's log through the whole loop.
func TestContactsSealedAtRestAndNeverLogged(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			e := newEnvLogged(t, dsn(t), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			number, token := e.badReview(false)
			n, p := storedContact(t, e)
			for _, v := range []string{n, p} {
				if strings.Contains(v, "李四") || strings.Contains(v, "13912345678") || strings.Contains(v, "5678") {
					t.Fatalf("contact stored readable: %q", v)
				}
				if id, ok := keys.Sealed(v); !ok || id != e.st.Keys.Current().ID {
					t.Errorf("stored %q: want sealed with the current key %s", v, e.st.Keys.Current().ID)
				}
			}
			path := "/api/v1/orders/" + number
			got := e.must(200, "GET", path, "operator", nil)
			if r := reviewer(got); r["name"] != "李四" || r["phone"] != "13912345678" {
				t.Errorf("operator sees %v, want the name and whole phone", r)
			}
			e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
			got = e.must(200, "GET", path, "handlerA", nil)
			if r := reviewer(got); r["name"] != "李四" || r["phone"] == "13912345678" || !strings.HasSuffix(fmt.Sprint(r["phone"]), "5678") {
				t.Errorf("the unit sees %v, want the name and a masked phone", r)
			}
			e.must(200, "POST", path+"/contact", "handlerA", map[string]any{"note": "已电话联系"})
			e.must(200, "POST", path+"/reply", "handlerA", map[string]any{"findings": "属实", "rectification": "已整改", "answer": "已整改"})
			e.citizenForm(token, url.Values{"satisfied": {"yes"}})
			e.must(200, "GET", path, "supervisor", nil)
			// A part of the phone counts where it stands as a number of its
			// own (139****5678), not inside another (took=1.12344ms).
			for _, secret := range []*regexp.Regexp{regexp.MustCompile(`李四|13912345678`),
				regexp.MustCompile(`(^|[^0-9.])(1234|5678)([^0-9]|$)`)} {
				if m := secret.FindString(logs.String()); m != "" {
					t.Errorf("the log holds %q of the reviewer's contact:\n%s", m, logs.String())
				}
			}
			if !strings.Contains(logs.String(), "/api/v1/reviews") {
				t.Fatal("the log captured nothing of the flow: the test proves nothing")
			}
		})
	}
}

// TestKeysRotateReseals: after a rotation every contact is sealed with the
// new key, the old key still opens nothing stale, the operator still reads
// the contact, and the re-encryption is in the audit trail. Contacts
// written clear before encryption are sealed at the next start.
func TestKeysRotateReseals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	number, _ := e.badReview(false)
	old := e.st.Keys.Current().ID
	k, err := e.st.Keys.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == old {
		t.Fatal("rotation kept the key id")
	}
	n, err := e.st.ResealContacts(ctx, "test")
	if err != nil || n != 1 {
		t.Fatalf("resealed %d, %v; want 1", n, err)
	}
	name, _ := storedContact(t, e)
	if id, _ := keys.Sealed(name); id != k.ID {
		t.Errorf("after rotation sealed with %q, want %q", id, k.ID)
	}
	if r := reviewer(e.must(200, "GET", "/api/v1/orders/"+number, "operator", nil)); r["name"] != "李四" {
		t.Errorf("after rotation the operator sees %v", r)
	}
	rows, err := e.st.DB().QueryContext(ctx, "SELECT note FROM audit_log WHERE action = 'reseal_contacts'")
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		notes = append(notes, s)
	}
	rows.Close()
	if len(notes) != 1 || !strings.Contains(notes[0], k.ID) {
		t.Errorf("audit of the re-encryption: %q", notes)
	}

	// A contact written before encryption, in clear.
	if _, err := e.st.DB().ExecContext(ctx, "UPDATE review_contacts SET name = '王五', phone = '13800000000'"); err != nil {
		t.Fatal(err)
	}
	e.st.SetSetting(ctx, "contacts_key", "")
	if err := e.st.SealContactsOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if name, phone := storedContact(t, e); strings.Contains(name+phone, "王五") || strings.Contains(name+phone, "13800000000") {
		t.Errorf("a clear contact stayed clear: %q %q", name, phone)
	}
	if r := reviewer(e.must(200, "GET", "/api/v1/orders/"+number, "operator", nil)); r["name"] != "王五" || r["phone"] != "13800000000" {
		t.Errorf("the sealed legacy contact reads %v", r)
	}
}

// TestRetentionErasesContacts: once an order has been closed for longer
// than the retention, its reviewer's contact is erased by the scheduler,
// and the erasure is in the audit trail; an order closed since keeps it.
func TestRetentionErasesContacts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	closeOrder := func() string {
		number, token := e.badReview(false)
		path := "/api/v1/orders/" + number
		e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
		e.must(200, "POST", path+"/contact", "handlerA", map[string]any{"note": "已联系"})
		e.must(200, "POST", path+"/reply", "handlerA", map[string]any{"findings": "属实", "rectification": "已整改", "answer": "已整改"})
		e.citizenForm(token, url.Values{"satisfied": {"yes"}})
		return number
	}
	oldOrder := closeOrder()
	e.clock.Add(400 * 24 * time.Hour)
	e.renewTokens() // the first ones expired meanwhile
	recent := closeOrder()
	e.clock.Add(24 * time.Hour)

	n, err := e.st.EraseContacts(ctx, e.clock.Now().Add(-365*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v; want the old order's contact alone", n, err)
	}
	if r := reviewer(e.must(200, "GET", "/api/v1/orders/"+oldOrder, "operator", nil)); r != nil {
		t.Errorf("the old order still shows %v", r)
	}
	if r := reviewer(e.must(200, "GET", "/api/v1/orders/"+recent, "operator", nil)); r["name"] != "李四" {
		t.Errorf("the recent order lost its contact: %v", r)
	}
	var note string
	if err := e.st.DB().QueryRowContext(ctx, "SELECT note FROM audit_log WHERE action = 'erase_contacts'").Scan(&note); err != nil || !strings.Contains(note, "1 reviewer contacts erased") {
		t.Errorf("audit of the erasure: %q, %v", note, err)
	}
	if _, err := e.st.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}
