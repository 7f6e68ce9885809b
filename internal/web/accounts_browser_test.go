package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// TestBrowserAccounts: the administrator's account list and an account's
// page, at desktop and phone width, pass axe-core; disabling from the page
// shows the account disabled and its token revoked.
func TestBrowserAccounts(t *testing.T) {
	ctx := desk(t)
	staffAccount(t, "accounts-admin", account.Admin, "")
	staffAccount(t, "browser-clerk", account.Supervisor, "")
	_, err := haocha.Store.IssueToken(context.Background(), "browser-clerk", account.NewToken(), "报表系统 reports", 30*24*time.Hour, "test")
	must(t, err)
	consoleLogin(t, ctx, "accounts-admin")
	phone := tab(t)
	consoleLogin(t, phone, "accounts-admin")
	for _, p := range []struct{ path, name string }{{"/console/users", "console-users"}, {"/console/users/browser-clerk", "console-account"}} {
		visit(t, ctx, p.path)
		checkA11y(t, ctx, p.name)
		screenshot(t, ctx, p.name+"-desktop")
		visit(t, phone, p.path)
		checkA11y(t, phone, p.name+" (phone)")
		screenshot(t, phone, p.name+"-phone")
	}
	must(t, chromedp.Do(ctx, press("#toggle button[type=submit]"), chromedp.WaitVisible(chromedp.CSS("#done"))))
	if s := text(t, ctx, "#status"); !strings.Contains(s, "已停用") {
		t.Errorf("status after disabling: %q", s)
	}
	if s := text(t, ctx, "#tokens tbody"); !strings.Contains(s, "已吊销") {
		t.Errorf("the token after disabling: %q", s)
	}
	checkA11y(t, ctx, "console-account disabled")
	screenshot(t, ctx, "console-account-disabled-desktop")
}
