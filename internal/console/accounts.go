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
