package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestCausesList: GET /api/v1/causes lists the causes held as data, at
// fault first, each with its at-fault flag and its words in both
// languages; a cause added to the table is listed, named by its code
// until the catalogue has words for it.
func TestCausesList(t *testing.T) {
	st, h := newServer(t)
	if _, err := st.DB().Exec("INSERT INTO unsatisfied_causes (code, at_fault, position) VALUES ('weather', FALSE, 9)"); err != nil {
		t.Fatal(err)
	}
	rec := do(h, http.MethodGet, "/api/v1/causes", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got struct {
		Causes []struct {
			Code    string `json:"code"`
			AtFault bool   `json:"at_fault"`
			NameZH  string `json:"name_zh"`
			NameEN  string `json:"name_en"`
		} `json:"causes"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Causes) != 9 {
		t.Fatalf("%d causes, want the 8 shipped and the one added: %s", len(got.Causes), rec.Body)
	}
	first, last := got.Causes[0], got.Causes[8]
	if first.Code != "careless" || !first.AtFault || first.NameZH != "敷衍塞责" || first.NameEN != "handled carelessly" {
		t.Errorf("first cause %+v", first)
	}
	if c := got.Causes[5]; c.Code != "unreachable" || c.AtFault || c.NameZH != "市民无法联系" {
		t.Errorf("sixth cause %+v", c)
	}
	if last.Code != "weather" || last.NameZH != "weather" || last.NameEN != "weather" {
		t.Errorf("a cause without words %+v", last)
	}
}
