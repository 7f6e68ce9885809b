package apiclient_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/haocha/haocha/examples/apiclient"
	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestClientAgainstServer: with the generated client, a citizen's bad
// review is taken, the public index is read, and an operator holding an
// API token finds the work order the review opened.
func TestClientAgainstServer(t *testing.T) {
	ctx := context.Background()
	srv, token := startServer(t)

	// The public calls need no credentials.
	public, err := apiclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	comment := "窗口让我跑了三次"
	created, err := public.CreateReviewWithResponse(ctx, apiclient.CreateReviewJSONRequestBody{
		Channel: apiclient.ReviewSubmissionChannelPc, Item: ptr("SCJG-001"), Stage: ptr("application"),
		Stars: 1, Comment: &comment, Tags: &[]apiclient.ReviewSubmissionTags{apiclient.ReviewSubmissionTagsMultipleTrips}, Anonymous: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.JSON201 == nil || created.JSON201.WorkOrder == nil {
		t.Fatalf("create review: %d %s", created.StatusCode(), created.Body)
	}
	order := *created.JSON201.WorkOrder

	board, err := public.GetIndexWithResponse(ctx, &apiclient.GetIndexParams{Scope: apiclient.GetIndexParamsScopeUnit})
	if err != nil {
		t.Fatal(err)
	}
	if board.JSON200 == nil || board.JSON200.Scope == nil || *board.JSON200.Scope != "unit" {
		t.Fatalf("index: %d %s", board.StatusCode(), board.Body)
	}

	// Staff calls send the API token as a bearer token.
	staff, err := apiclient.NewClientWithResponses(srv.URL, apiclient.WithRequestEditorFn(
		func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	orders, err := staff.ListOrdersWithResponse(ctx, &apiclient.ListOrdersParams{})
	if err != nil {
		t.Fatal(err)
	}
	if orders.JSON200 == nil || orders.JSON200.Orders == nil {
		t.Fatalf("orders: %d %s", orders.StatusCode(), orders.Body)
	}
	found := false
	for _, o := range *orders.JSON200.Orders {
		found = found || o.Number == order
	}
	if !found {
		t.Errorf("the operator's orders lack %s, the order the review opened: %s", order, orders.Body)
	}

	// Without the token the same call is refused, in the documented shape.
	refused, err := public.ListOrdersWithResponse(ctx, &apiclient.ListOrdersParams{})
	if err != nil {
		t.Fatal(err)
	}
	if refused.JSON401 == nil || refused.JSON401.Error == "" {
		t.Errorf("orders without a token: %d %s", refused.StatusCode(), refused.Body)
	}
}

// startServer serves a fresh SQLite database holding a small catalogue
// and answers its address and an operator's API token. The server's
// answers are held to the OpenAPI document as well.
func startServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	ctx := context.Background()
	m, err := app.Open(ctx, app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), NoDemo: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Store.ImportCatalog(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	hash, err := account.HashPassword("example password")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.CreateUser(ctx, &account.User{Login: "operator", Role: account.Operator, PasswordHash: hash}, "test"); err != nil {
		t.Fatal(err)
	}
	token := account.NewToken()
	if _, err := m.Store.IssueToken(ctx, "operator", token, "example", account.TokenTTL, "test"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(apitest.Check(t, m.Handler()))
	t.Cleanup(srv.Close)
	return srv, token
}

func ptr[T any](v T) *T { return &v }
