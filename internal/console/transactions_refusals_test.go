package console_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestTransactionBatchRefusals: what a business system's whole request is
// refused with, as the README's integration guide lists it, each naming
// its field, and nothing stored.
func TestTransactionBatchRefusals(t *testing.T) {
	e := newEnv(t)
	e.integration("sys", unitA)
	huge := `{"transactions": [{"number": "` + strings.Repeat("9", 1<<20) + `"}]}`
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		field                   string
	}{
		{"malformed JSON", "application/json", `{"transactions": [`, 400, "body"},
		{"an unknown field", "application/json", `{"transactions": [], "colour": "red"}`, 400, "colour"},
		{"a record's unknown field", "application/json", `{"transactions": [{"number": "T1", "colour": "red"}]}`, 400, "transactions.0.colour"},
		{"a body over 1 MiB", "application/json", huge, 400, "body"},
		{"not JSON", "text/csv", "number\nT1\n", 415, "Content-Type"},
		{"no records", "application/json", `{"transactions": []}`, 422, "transactions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/transactions", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			req.Header.Set("Authorization", "Bearer "+e.tokens["sys"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var out struct{ Error, Field string }
			json.Unmarshal(raw, &out)
			if resp.StatusCode != tc.status || out.Field != tc.field || out.Error == "" {
				t.Errorf("%d %s, want %d naming %s", resp.StatusCode, bytes.TrimSpace(raw), tc.status, tc.field)
			}
		})
	}
	var n int
	if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM transactions").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d transactions stored from refused requests (%v)", n, err)
	}
}
