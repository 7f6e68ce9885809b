package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// loopFlags are serve's flags for the work-order loop.
func loopFlags(fs *flag.FlagSet) func(out io.Writer) app.LoopConfig {
	insecure := fs.Bool("insecure-cookies", boolEnv("HAOCHA_INSECURE_COOKIES"), "session cookies without the Secure flag, for plain HTTP in development (env HAOCHA_INSECURE_COOKIES)")
	noSched := fs.Bool("no-scheduler", boolEnv("HAOCHA_NO_SCHEDULER"), "do not run the overdue/escalation job in this process (env HAOCHA_NO_SCHEDULER)")
	every := fs.Duration("scheduler-every", time.Minute, "how often the scheduler runs")
	webhook := fs.String("webhook", env("HAOCHA_WEBHOOK_URL", ""), "POST work-order notifications to this URL; the log when empty (env HAOCHA_WEBHOOK_URL)")
	secret := fs.String("webhook-secret", env("HAOCHA_WEBHOOK_SECRET", ""), "sign webhook bodies with HMAC-SHA256 (env HAOCHA_WEBHOOK_SECRET)")
	nsTimes := fs.Int("escalate-not-satisfied", 2, "escalate after the citizen is not satisfied this many times (0: never)")
	overdueDays := fs.Int("escalate-overdue-days", 3, "escalate an order overdue by more than this many days (0: never)")
	dueSoon := fs.Duration("due-soon", 4*time.Hour, "send a due-soon notice this long before the due time")
	ratingDays := fs.Int("rating-window-days", intEnv("HAOCHA_RATING_WINDOW_DAYS", transaction.DefaultRatingDays), "days after a reported transaction finished that it may be rated (env HAOCHA_RATING_WINDOW_DAYS)")
	defaults := fs.Bool("default-review", boolEnv("HAOCHA_DEFAULT_REVIEW"), "record a default satisfied review (默认好评) when a transaction's rating window closes unrated (env HAOCHA_DEFAULT_REVIEW)")
	return func(out io.Writer) app.LoopConfig {
		return app.LoopConfig{Out: out, InsecureCookies: *insecure, NoScheduler: *noSched, Every: *every,
			WebhookURL: *webhook, WebhookSecret: *secret, RatingDays: *ratingDays, DefaultReviews: *defaults,
			Rules: &workorder.Rules{DueSoon: *dueSoon, NotSatisfiedTimes: *nsTimes, EscalateOverdueFor: time.Duration(*overdueDays) * 24 * time.Hour}}
	}
}

func runUser(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("user: want add, token or list")
	}
	sub, args := args[0], args[1:]
	db := dbFlag(fs)
	name := fs.String("name", "", "login name")
	role := fs.String("role", "", "operator, handler, supervisor, staff, admin or integration (add)")
	var units unitList
	fs.Var(&units, "unit", "the unit a handler is bound to; for an integration account, each unit it reports for (repeat the flag) (add)")
	staff := fs.String("staff", "", "the staff code of window staff (add)")
	display := fs.String("display-name", "", "name shown in the console (add)")
	password := fs.String("password", "", "password (add); else env HAOCHA_PASSWORD, else the first line of stdin")
	label := fs.String("label", "", "what the token is for (token)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		pw := *password
		if pw == "" {
			pw = os.Getenv("HAOCHA_PASSWORD")
		}
		if pw == "" {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			pw = strings.TrimRight(line, "\r\n")
		}
		u := &account.User{Login: *name, DisplayName: *display, Role: workorder.Role(*role), Staff: *staff}
		if err := units.bind(u); err != nil {
			return err
		}
		for _, code := range units {
			if ok, err := st.Exists(ctx, "units", code); err != nil || !ok {
				return cmp.Or(err, fmt.Errorf("user add: unknown unit %q", code))
			}
		}
		if err := u.Check(); err != nil {
			return err
		}
		if u.PasswordHash, err = account.HashPassword(pw); err != nil {
			return err
		}
		if err := st.CreateUser(ctx, u, "cli"); err != nil {
			return err
		}
		if u.Role == workorder.Integration {
			if err := st.BindIntegrationUnits(ctx, u.ID, units); err != nil {
				return err
			}
			fmt.Fprintf(out, "account %s created: %s for %s\n", u.Login, u.Role, strings.Join(units, ", "))
			break
		}
		fmt.Fprintf(out, "account %s created: %s %s\n", u.Login, u.Role, u.Unit+u.Staff)
	case "token":
		u, err := st.UserByLogin(ctx, *name)
		if err != nil {
			return err
		}
		tok := account.NewToken()
		if err := st.CreateAPIToken(ctx, u.ID, store.HashToken(tok), *label); err != nil {
			return err
		}
		fmt.Fprintf(out, "API token for %s (shown once; send as Authorization: Bearer ...):\n%s\n", u.Login, tok)
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(out, "%-16s %-10s %s\n", u.Login, u.Role, u.Unit+u.Staff)
		}
	default:
		return fmt.Errorf("user: unknown subcommand %q: want add, token or list", sub)
	}
	return nil
}

func runAudit(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("audit: want verify")
	}
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit trail BROKEN: %w", err)
	}
	fmt.Fprintf(out, "audit trail intact: %d rows\n", n)
	return nil
}

func runCalendar(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("calendar: want import FILE")
	}
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("calendar import: name one CSV file (date,kind,name)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	days, err := calendar.ParseCSV(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.ImportCalendar(ctx, days, "cli"); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d days imported from %s\n", len(days), fs.Arg(0))
	return nil
}

// unitList is the repeatable --unit flag of user add.
type unitList []string

func (l *unitList) String() string { return strings.Join(*l, ",") }

func (l *unitList) Set(v string) error {
	*l = append(*l, strings.TrimSpace(v))
	return nil
}

// bind puts the units on u: a handler has one; an integration account has
// at least one, kept apart (integration_units) and bound once u exists.
func (l unitList) bind(u *account.User) error {
	switch {
	case u.Role == workorder.Integration && len(l) == 0:
		return fmt.Errorf("user add: an integration account reports for units: name each with --unit")
	case u.Role == workorder.Integration:
		return nil
	case len(l) > 1:
		return fmt.Errorf("user add: only an integration account takes more than one --unit")
	case len(l) == 1:
		u.Unit = l[0]
	}
	return nil
}
