package console

import (
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
)

// The administrator's account page: disable and enable, unlock, reset the
// password, list and revoke API tokens. The store audits each change.

// accountView is one account with what the page shows of it.
type accountView struct {
	User   *account.User
	Failed int
	Tokens []tokenView
	Self   bool
}

type tokenView struct {
	account.Token
	Live, Expired bool
}

func (c *Console) accountPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	return c.showAccount(w, r, wh, r.PathValue("name"), nil, "")
}

func (c *Console) showAccount(w http.ResponseWriter, r *http.Request, wh *who, login string, failed error, flash string) error {
	ctx, now := r.Context(), c.Store.Now()
	u, err := c.Store.UserByLogin(ctx, login)
	if err != nil {
		return err
	}
	fails, err := c.Store.FailedLogins(ctx, c.Throttle, now)
	if err != nil {
		return err
	}
	tokens, err := c.Store.Tokens(ctx, u.Login)
	if err != nil {
		return err
	}
	v := accountView{User: u, Failed: fails[u.Login], Self: u.ID == wh.User.ID}
	for _, k := range tokens {
		v.Tokens = append(v.Tokens, tokenView{Token: k, Live: k.Live(now), Expired: k.RevokedAt.IsZero() && !k.Live(now)})
	}
	pd := pageData{Title: wh.L.Tf("acct.title", u.Login), Who: wh, Data: v, Flash: flash}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "account", pd)
	return nil
}

// accountAction applies one of the account page's forms through the
// account service, which holds the rules.
func (c *Console) accountAction(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	ctx, login, by := r.Context(), r.PathValue("name"), wh.actor()
	if _, err := c.Store.UserByLogin(ctx, login); err != nil {
		return err
	}
	var err error
	var flash string
	switch action := r.PathValue("action"); action {
	case "disable", "enable":
		err, flash = c.Accounts.SetDisabled(ctx, by, login, action == "disable"), wh.L.T("acct.done."+action)
	case "unlock":
		err, flash = c.Accounts.Unlock(ctx, by, login), wh.L.T("acct.done.unlock")
	case "password":
		err, flash = c.Accounts.ResetPassword(ctx, by, login, r.PostFormValue("password")), wh.L.T("acct.done.password")
	case "revoke-token":
		id, perr := strconv.ParseInt(r.PostFormValue("token"), 10, 64)
		if perr != nil {
			err = apperr.Invalidf("token", "want a token id")
		} else {
			err = c.Accounts.RevokeToken(ctx, by, login, id)
		}
		flash = wh.L.T("acct.done.revoke")
	default:
		return apperr.NotFoundf("action", "no such action")
	}
	if err != nil {
		return c.showAccount(w, r, wh, login, err, "")
	}
	return c.showAccount(w, r, wh, login, nil, flash)
}

func init() {
	addWords(map[string][2]string{
		"acct.title":         {"账号 %s", "Account %s"},
		"acct.all":           {"全部账号", "All accounts"},
		"acct.created":       {"创建", "Created"},
		"acct.disable.help":  {"停用即结束其所有会话并吊销其全部令牌；重新启用不会恢复令牌。", "Disabling ends every session and revokes every API token of the account; enabling it again does not bring the tokens back."},
		"acct.enable":        {"启用", "Enable"},
		"acct.disable":       {"停用", "Disable"},
		"acct.unlock.help":   {"清除各地址对此账号的登录失败计数。", "Forget the failed logins on this account from every address."},
		"acct.unlock":        {"解锁", "Unlock"},
		"acct.reset":         {"重置密码", "Reset the password"},
		"acct.newpw":         {"新密码（至少 10 个字符）", "New password (at least 10 characters)"},
		"acct.reset.help":    {"重置后其所有会话结束。", "Every session of the account ends."},
		"acct.reset.button":  {"重置", "Reset"},
		"acct.tokens":        {"接口令牌", "API tokens"},
		"acct.id":            {"编号", "ID"},
		"acct.prefix":        {"前缀", "Prefix"},
		"acct.label":         {"用途", "Label"},
		"acct.expires":       {"到期", "Expires"},
		"acct.lastused":      {"最近使用", "Last used"},
		"acct.live":          {"有效", "live"},
		"acct.expired":       {"已过期", "expired"},
		"acct.revoked":       {"已吊销", "revoked"},
		"acct.revoke":        {"吊销", "Revoke"},
		"acct.revoke.label":  {"吊销令牌 %d", "Revoke token %d"},
		"acct.notokens":      {"没有令牌", "No tokens"},
		"acct.done.disable":  {"已停用，会话与令牌已失效", "disabled; its sessions and tokens are ended"},
		"acct.done.enable":   {"已启用", "enabled"},
		"acct.done.unlock":   {"已解锁", "unlocked"},
		"acct.done.password": {"密码已重置，会话已结束", "password reset; its sessions are ended"},
		"acct.done.revoke":   {"令牌已吊销", "token revoked"},
	})
}
