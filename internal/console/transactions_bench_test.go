package console_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkTransactionBatchHTTP posts batches of 1,000 new transactions to
// POST /api/v1/transactions as business systems do, from 1 and from 4
// systems at once, on each backend, and reports transactions per second
// (the goal: 20,000). Bodies are encoded before the clock runs; clients
// and server share the machine.
//
//	go test ./internal/console -run '^$' -bench TransactionBatchHTTP -benchtime 20x
func BenchmarkTransactionBatchHTTP(b *testing.B) {
	for name, dsn := range storetest.Backends(b) {
		for _, clients := range []int{1, 4} {
			b.Run(fmt.Sprintf("%s/clients=%d", name, clients), func(b *testing.B) {
				e := newEnvOn(b, dsn(b))
				e.integration("bench", unitA)
				bodies := make([][]byte, b.N)
				for i := range bodies {
					recs := make([]map[string]any, 1000)
					for j := range recs {
						recs[j] = e.txn(fmt.Sprintf("BJ%06d%04d", i, j), nil)
					}
					bodies[i], _ = json.Marshal(map[string]any{"transactions": recs})
				}
				var next atomic.Int64
				var wg sync.WaitGroup
				rate := storetest.StartRate(b)
				for range clients {
					wg.Go(func() {
						client := &http.Client{}
						for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
							postBatch(b, e, client, bodies[i])
						}
					})
				}
				wg.Wait()
				rate.Report(b, b.N*1000, "txn")
			})
		}
	}
}

// postBatch sends one batch body as the bench account and checks that all of
// it was created.
func postBatch(b *testing.B, e *env, client *http.Client, body []byte) {
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/transactions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.tokens["bench"])
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`"created":1000`)) {
		b.Errorf("%d %.200s", resp.StatusCode, answer)
	}
}
