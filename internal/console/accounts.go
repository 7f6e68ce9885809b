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

// accountAction applies one of the account page's forms.
func (c *Console) accountAction(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	ctx, login, by := r.Context(), r.PathValue("name"), wh.actor().String()
	if _, err := c.Store.UserByLogin(ctx, login); err != nil {
		return err
	}
	var err error
	var flash string
	switch action := r.PathValue("action"); action {
	case "disable", "enable":
		if action == "disable" && login == wh.User.Login {
			err = apperr.New(apperr.Conflict, "name", "you cannot disable your own account: ask another administrator")
			break
		}
		err = c.Store.SetDisabled(ctx, login, action == "disable", by)
		flash = wh.L.T("acct.done." + action)
	case "unlock":
		err, flash = c.Store.Unlock(ctx, login, by), wh.L.T("acct.done.unlock")
	case "password":
		var hash string
		if hash, err = account.HashPassword(r.PostFormValue("password")); err == nil {
			err = c.Store.ResetPassword(ctx, login, hash, by)
		}
		flash = wh.L.T("acct.done.password")
	case "revoke-token":
		err = c.revokeTokenOf(r, login, by)
		flash = wh.L.T("acct.done.revoke")
	default:
		return apperr.NotFoundf("action", "no such action")
	}
	if err != nil {
		return c.showAccount(w, r, wh, login, err, "")
	}
	return c.showAccount(w, r, wh, login, nil, flash)
}

// revokeTokenOf revokes the token the form names, if it is login's: the
// page of one account revokes none of another's.
func (c *Console) revokeTokenOf(r *http.Request, login, by string) error {
	id, err := strconv.ParseInt(r.PostFormValue("token"), 10, 64)
	if err != nil {
		return apperr.Invalidf("token", "want a token id")
	}
	tokens, err := c.Store.Tokens(r.Context(), login)
	if err != nil {
		return err
	}
	for _, k := range tokens {
		if k.ID == id {
			_, err := c.Store.RevokeToken(r.Context(), strconv.FormatInt(id, 10), by)
			return err
		}
	}
	return apperr.NotFoundf("token", "%s has no token %d", login, id)
}
