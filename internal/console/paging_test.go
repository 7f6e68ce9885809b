package console_test

import (
	"net/http"
	"testing"
)

// TestEveryListRefusesABadCursor: each paged list answers a cursor it did
// not give with 400 naming cursor, and a limit past its maximum page with
// 422 naming limit.
func TestEveryListRefusesABadCursor(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path, who string
		status    int
		field     string
	}{
		{"/api/v1/orders?cursor=zz", "operator", http.StatusBadRequest, "cursor"},
		{"/api/v1/orders?limit=1001", "operator", http.StatusUnprocessableEntity, "limit"},
		{"/api/v1/alerts?cursor=zz", "supervisor", http.StatusBadRequest, "cursor"},
		{"/api/v1/alerts?limit=201", "supervisor", http.StatusUnprocessableEntity, "limit"},
		{"/api/v1/suspected?cursor=zz", "supervisor", http.StatusBadRequest, "cursor"},
		{"/api/v1/suspected?limit=201", "supervisor", http.StatusUnprocessableEntity, "limit"},
		{"/open311/v2/requests.json?cursor=zz", "", http.StatusBadRequest, "cursor"},
		{"/open311/v2/requests.json?limit=1001", "", http.StatusUnprocessableEntity, "limit"},
		{"/open311/v2/services.json?cursor=zz", "", http.StatusBadRequest, "cursor"},
	}
	for _, tt := range tests {
		if out := e.must(tt.status, "GET", tt.path, tt.who, nil); out["field"] != tt.field {
			t.Errorf("%s: %v, want the field %s named", tt.path, out, tt.field)
		}
	}
}
