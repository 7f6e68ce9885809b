package api

// GET /api/v1/causes: the list of causes of the cause review of
// unsatisfied answers (不满意原因审查), as the store holds it (the
// unsatisfied_causes table), so that an integrator can show the choice
// and read an order's cause and the cause mix of the index.

import (
	"net/http"

	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/i18n"
)

// CauseEntry is one cause of the list in both languages.
type CauseEntry struct {
	Code    string `json:"code"`
	AtFault bool   `json:"at_fault"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
}

func (a *API) causes(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Store.Causes(r.Context())
	if err != nil {
		return err
	}
	out := make([]CauseEntry, len(list))
	for i, c := range list {
		out[i] = CauseEntry{Code: c.Code, AtFault: c.AtFault, NameZH: causeName(i18n.ZH, c.Code), NameEN: causeName(i18n.EN, c.Code)}
	}
	httpjson.Write(w, http.StatusOK, map[string][]CauseEntry{"causes": out})
	return nil
}

// causeName is a cause's words in l; a cause added to the table without
// words in the catalogue is named by its code.
func causeName(l i18n.Lang, code string) string {
	key := "cause.code." + code
	if name := l.T(key); name != key {
		return name
	}
	return code
}
