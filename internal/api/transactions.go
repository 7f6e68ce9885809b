package api

// POST /api/v1/transactions: a business system reports finished
// transactions (办件) for the units its integration account is bound to.

import (
	"net/http"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/transaction"
)

// maxTransactionBody bounds a batch: a thousand records of about 500 bytes
// each, with room to spare.
const maxTransactionBody = 1 << 20

func (c *Loop) apiReportTransactions(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	if wh.User.Role != account.Integration {
		return apperr.New(apperr.Forbidden, "", "only an integration account reports transactions")
	}
	var in struct {
		Transactions []transaction.Record `json:"transactions"`
	}
	if err := httpjson.DecodeLarge(w, r, &in, maxTransactionBody); err != nil {
		return err
	}
	if len(in.Transactions) == 0 {
		return apperr.Invalidf("transactions", "name at least one transaction")
	}
	units, err := c.Store.IntegrationUnits(r.Context(), wh.User.ID)
	if err != nil {
		return err
	}
	results, err := c.Transactions.Report(r.Context(), transaction.Reporter{ID: wh.User.ID, Units: units}, in.Transactions)
	if err != nil {
		return err
	}
	sum := map[transaction.Status]int{}
	for _, res := range results {
		sum[res.Status]++
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"results": results, "created": sum[transaction.Created],
		"unchanged": sum[transaction.Unchanged], "errors": sum[transaction.Failed]})
	return nil
}
