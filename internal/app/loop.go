package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/console"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/telephony"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// LoopConfig configures the work-order loop.
type LoopConfig struct {
	// InsecureCookies drops the Secure flag of session cookies, for plain
	// HTTP during development. Production runs behind TLS.
	InsecureCookies bool
	NoScheduler     bool             // do not run the background job in this process
	Every           time.Duration    // scheduler period; a minute when zero
	Rules           *workorder.Rules // escalation rules; workorder.DefaultRules when nil
	WebhookURL      string           // deliver notifications here; the log when empty
	// TelephonyURL is the exchange's click-to-call endpoint
	// (HAOCHA_TELEPHONY_URL); when empty a call is logged, not placed.
	TelephonyURL    string
	TelephonySecret string    // signs telephony requests
	WebhookSecret   string    // signs webhook bodies
	Out             io.Writer // where demo credentials are printed (serve: stdout); nowhere when nil
	// CheckpointFile receives the audit trail's signed checkpoint every
	// hour; beside the database (DB.checkpoints) when empty.
	CheckpointFile string
	// Retention is how long reviewer contacts are kept after their order
	// closes (0: for ever); scheduler.DefaultRetention when nil.
	Retention *time.Duration
	// RatingDays is a transaction's rating window after it finished;
	// transaction.DefaultRatingDays when zero.
	RatingDays int
	// DefaultReviews records a default satisfied review when a rating
	// window closes unrated (默认好评; off by default).
	DefaultReviews bool
	// NationalURL receives each day's national exchange, with NationalToken
	// as its bearer credential; no push when empty.
	NationalURL, NationalToken string
	// RemindBefore is how long before a rating window closes the one
	// reminder of an invitation goes out: invitation.DefaultRemindBefore
	// when zero, none when negative.
	RemindBefore time.Duration
}

// openLoop registers the consoles, the work-order API and Open311 view,
// and prepares the scheduler.
func (m *Main) openLoop(ctx context.Context, mux *route.Mux) error {
	cfg := m.Config.Loop
	con, err := console.New(m.Store, m.Log)
	if err != nil {
		return err
	}
	con.Service = m.Orders
	con.Boards = m.Boards
	con.InsecureCookies = cfg.InsecureCookies
	con.NetMark = m.Intake.NetMark
	var phone workorder.Caller = telephony.Log{Log: m.Log}
	if cfg.TelephonyURL != "" {
		phone = telephony.HTTP{URL: cfg.TelephonyURL, Secret: []byte(cfg.TelephonySecret)}
	}
	con.Telephony = phone
	transactions := &transaction.Service{Store: m.Store, RatingDays: cfg.RatingDays, Now: func() time.Time { return m.Store.Now() }}
	m.wireDevices(con, transactions)
	if cfg.RatingDays > 0 {
		// A later review (追评) is taken for the rating window after the first.
		m.Intake.Limit.LaterWindow = time.Duration(cfg.RatingDays) * 24 * time.Hour
	}
	con.Register(mux)
	loop := &api.Loop{Store: m.Store, Log: m.Log, Service: m.Orders, Transactions: transactions, Telephony: phone, Routing: con.Routing, Reports: con.Reports, Alerts: con.Alerts,
		Callers: caller.Finder{Store: m.Store, Now: func() time.Time { return m.Store.Now() }}}
	loop.Register(mux)
	mux.Authenticate, mux.Deny = loop.Callers.Authenticate, con.Deny
	if cfg.NoScheduler {
		return nil
	}
	var sink notify.Sink = notify.Log{Log: m.Log}
	if cfg.WebhookURL != "" {
		sink = notify.Webhook{URL: cfg.WebhookURL, Secret: []byte(cfg.WebhookSecret)}
	}
	rules := workorder.DefaultRules
	if cfg.Rules != nil {
		rules = *cfg.Rules
	}
	m.Scheduler = scheduler.New(m.Store, m.Log, sink, rules)
	m.Scheduler.Orders = m.Orders
	m.Scheduler.Metrics = m.met
	m.Scheduler.DefaultReviews = cfg.DefaultReviews
	m.Scheduler.Invitations, m.Scheduler.SMS = m.Invitations, m.SMS
	if cfg.Every > 0 {
		m.Scheduler.Every = cfg.Every
	}
	m.Scheduler.CheckpointFile = cfg.CheckpointFile
	if m.Scheduler.CheckpointFile == "" {
		m.Scheduler.CheckpointFile = keys.Beside(m.Config.DB, ".checkpoints")
	}
	if cfg.Retention != nil {
		m.Scheduler.Retention = *cfg.Retention
	}
	if cfg.NationalURL != "" {
		if cfg.NationalToken == "" {
			return errors.New("--national-url needs --national-token (HAOCHA_NATIONAL_TOKEN)")
		}
		m.Scheduler.National = &national.Endpoint{URL: cfg.NationalURL, Token: cfg.NationalToken}
	}
	return nil
}

// DemoAccounts creates one account per role with a random password and
// prints the credentials: the handler is bound to the unit with the most
// work orders, the window staff member to a staff code that was rated
// (when there are none, to the first of the catalogue).
func DemoAccounts(ctx context.Context, st *store.Store, out io.Writer) error {
	if out == nil {
		out = io.Discard
	}
	rows, err := st.Orders(ctx, workorder.Filter{Limit: 1000})
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, r := range rows {
		rv, err := st.OrderReview(ctx, r.Review)
		if err != nil {
			return err
		}
		count[rv.Unit]++
	}
	units := make([]string, 0, len(count))
	for u := range count {
		units = append(units, u)
	}
	sort.Slice(units, func(i, j int) bool {
		return count[units[i]] > count[units[j]] || count[units[i]] == count[units[j]] && units[i] < units[j]
	})
	unit, staff := "", ""
	if len(units) > 0 {
		unit = units[0]
	}
	if staff, err = st.BusiestStaff(ctx); err != nil {
		return err
	}
	// A demo without work orders still gets every account.
	if unit == "" {
		us, err := st.Units(ctx, "")
		if err != nil || len(us) == 0 {
			return fmt.Errorf("demo accounts need a catalogue: %v", err)
		}
		unit = us[0].Code
	}
	if staff == "" {
		staff = demo.Catalog().Staff[0].Code
	}
	who, _, err := st.StaffSeats(ctx, staff)
	if err != nil {
		return err
	}
	staffName := who.Name
	fmt.Fprintln(out, "Demo accounts (log in at /console/login):")
	for _, u := range []account.User{
		// People's names: the console's header adds the role and unit.
		{Login: "operator", DisplayName: "陈静", Role: account.Operator},
		{Login: "operator2", DisplayName: "周敏", Role: account.Operator},
		{Login: "handler", DisplayName: "李建国", Role: account.Handler, Unit: unit},
		{Login: "supervisor", DisplayName: "王芳", Role: account.Supervisor},
		{Login: "staff", DisplayName: staffName, Role: account.Staff, Staff: staff},
		{Login: "admin", DisplayName: "赵磊", Role: account.Admin},
	} {
		pw := account.NewToken()[:16]
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, &u, "demo"); err != nil {
			return err
		}
		bound := ""
		if u.Unit != "" {
			bound = ", unit " + u.Unit
		} else if u.Staff != "" {
			bound = ", staff code " + u.Staff
		}
		fmt.Fprintf(out, "  %-10s  password %s  (%s%s)\n", u.Login, pw, u.Role, bound)
	}
	return nil
}
