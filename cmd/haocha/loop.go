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
	"text/tabwriter"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/invitation"
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
	checkpoints := fs.String("checkpoint-file", env("HAOCHA_CHECKPOINT_FILE", ""), "append a signed checkpoint of the audit trail here every hour (env HAOCHA_CHECKPOINT_FILE; default: beside the database, DB.checkpoints)")
	retention := retentionFlag(fs)
	ratingDays := fs.Int("rating-window-days", intEnv("HAOCHA_RATING_WINDOW_DAYS", transaction.DefaultRatingDays), "days after a reported transaction finished that it may be rated (env HAOCHA_RATING_WINDOW_DAYS)")
	phoneURL := fs.String("telephony-url", env("HAOCHA_TELEPHONY_URL", ""), "click-to-call: POST {work_order, caller, callee} to this exchange URL to bridge a handler and a reviewer without showing the number; when empty the request is logged (without the number) and no call placed (env HAOCHA_TELEPHONY_URL)")
	phoneSecret := fs.String("telephony-secret", env("HAOCHA_TELEPHONY_SECRET", ""), "sign telephony requests with HMAC-SHA256 (env HAOCHA_TELEPHONY_SECRET)")
	defaults := fs.Bool("default-review", boolEnv("HAOCHA_DEFAULT_REVIEW"), "record a default satisfied review (默认好评) when a transaction's rating window closes unrated (env HAOCHA_DEFAULT_REVIEW)")
	nationalURL := fs.String("national-url", env("HAOCHA_NATIONAL_URL", ""), "POST each day's national 好差评 exchange here after the day ends (env HAOCHA_NATIONAL_URL)")
	nationalToken := fs.String("national-token", env("HAOCHA_NATIONAL_TOKEN", ""), "bearer token for --national-url (env HAOCHA_NATIONAL_TOKEN)")
	reminder := fs.Int("reminder-days", intEnv("HAOCHA_REMINDER_DAYS", int(invitation.DefaultRemindBefore/(24*time.Hour))), "days before a transaction's rating window closes that the one reminder of its SMS invitation goes out; 0: no reminder (env HAOCHA_REMINDER_DAYS)")
	return func(out io.Writer) app.LoopConfig {
		remind := time.Duration(*reminder) * 24 * time.Hour
		if *reminder <= 0 {
			remind = -1
		}
		return app.LoopConfig{Out: out, InsecureCookies: *insecure, NoScheduler: *noSched, Every: *every,
			WebhookURL: *webhook, WebhookSecret: *secret, CheckpointFile: *checkpoints, Retention: retention,
			RatingDays: *ratingDays, DefaultReviews: *defaults, TelephonyURL: *phoneURL, TelephonySecret: *phoneSecret, RemindBefore: remind,
			NationalURL: *nationalURL, NationalToken: *nationalToken,
			Rules: &workorder.Rules{DueSoon: *dueSoon, NotSatisfiedTimes: *nsTimes, EscalateOverdueFor: time.Duration(*overdueDays) * 24 * time.Hour}}
	}
}

func runUser(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	const want = "want add, token, list, disable, enable, unlock, reset-password, revoke-token or tokens"
	if len(args) == 0 {
		return fmt.Errorf("user: %s", want)
	}
	sub, args := args[0], args[1:]
	db := dbFlag(fs)
	name := fs.String("name", "", "login name (or give it after the subcommand)")
	role := fs.String("role", "", "operator, handler, supervisor, staff, admin or integration (add)")
	var units unitList
	fs.Var(&units, "unit", "the unit a handler is bound to; for an integration account, each unit it reports for (repeat the flag) (add)")
	staff := fs.String("staff", "", "the staff code of window staff (add)")
	display := fs.String("display-name", "", "name shown in the console (add)")
	password := fs.String("password", "", "password (add, reset-password); else env HAOCHA_PASSWORD, else the first line of stdin")
	label := fs.String("label", "", "what the token is for (token)")
	expires := fs.String("expires", "90d", "how long the token lives, e.g. 30d or 720h, at most 366d (token)")
	// A name may come before the flags: user disable NAME --db x.
	if err := fs.Parse(args); err != nil {
		return err
	}
	if rest := fs.Args(); len(rest) > 0 {
		if *name == "" {
			*name = rest[0]
		}
		if err := fs.Parse(rest[1:]); err != nil {
			return err
		}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user %s: unexpected %q", sub, fs.Args())
	}
	needName := func() error {
		if *name == "" {
			return fmt.Errorf("user %s: name the account: user %s NAME", sub, sub)
		}
		return nil
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		pw, err := readPassword(*password)
		if err != nil {
			return err
		}
		u := &account.User{Login: *name, DisplayName: *display, Role: account.Role(*role), Staff: *staff}
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
		if u.Role == account.Integration {
			if err := st.BindIntegrationUnits(ctx, u.ID, units); err != nil {
				return err
			}
			fmt.Fprintf(out, "account %s created: %s for %s\n", u.Login, u.Role, strings.Join(units, ", "))
			break
		}
		fmt.Fprintf(out, "account %s created: %s %s\n", u.Login, u.Role, u.Unit+u.Staff)
	case "token":
		ttl, err := account.ParseTTL(*expires)
		if err != nil {
			return err
		}
		tok := account.NewToken()
		k, err := st.IssueToken(ctx, *name, tok, *label, ttl, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "API token %d for %s, expires %s (shown once; send as Authorization: Bearer ...):\n%s\n",
			k.ID, k.User, day(k.ExpiresAt), tok)
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(out, "%-16s %-10s %-8s %s\n", u.Login, u.Role, status, u.Unit+u.Staff)
		}
	case "disable", "enable":
		if err := needName(); err != nil {
			return err
		}
		if err := st.SetDisabled(ctx, *name, sub == "disable", "cli"); err != nil {
			return err
		}
		fmt.Fprintf(out, "account %s %sd\n", *name, sub)
	case "unlock":
		if err := needName(); err != nil {
			return err
		}
		if err := st.Unlock(ctx, *name, "cli"); err != nil {
			return err
		}
		fmt.Fprintf(out, "account %s unlocked: its failed logins are forgotten\n", *name)
	case "reset-password":
		if err := needName(); err != nil {
			return err
		}
		pw, err := readPassword(*password)
		if err != nil {
			return err
		}
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := st.ResetPassword(ctx, *name, hash, "cli"); err != nil {
			return err
		}
		fmt.Fprintf(out, "password of %s reset; its sessions ended\n", *name)
	case "revoke-token":
		if *name == "" {
			return fmt.Errorf("user revoke-token: name the token by its id or its first %d characters", account.PrefixLen)
		}
		k, err := st.RevokeToken(ctx, *name, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "token %d (%s) of %s revoked\n", k.ID, k.Prefix, k.User)
	case "tokens":
		list, err := st.Tokens(ctx, *name)
		if err != nil {
			return err
		}
		writeTokens(out, list, st.Now())
	default:
		return fmt.Errorf("user: unknown subcommand %q: %s", sub, want)
	}
	return nil
}

// readPassword takes a password from the flag, else HAOCHA_PASSWORD, else
// the first line of stdin.
func readPassword(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if pw := os.Getenv("HAOCHA_PASSWORD"); pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(calendar.Zone).Format("2006-01-02 15:04")
}

func writeTokens(out io.Writer, list []account.Token, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tPREFIX\tLABEL\tCREATED\tEXPIRES\tLAST USED\tREVOKED\tSTATE")
	for _, k := range list {
		state := "live"
		switch {
		case !k.RevokedAt.IsZero():
			state = "revoked"
		case !now.Before(k.ExpiresAt):
			state = "expired"
		}
		prefix := k.Prefix
		if prefix == "" {
			prefix = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.User, prefix, k.Label, day(k.CreatedAt),
			day(k.ExpiresAt), day(k.LastUsed), day(k.RevokedAt), state)
	}
	tw.Flush()
}

func runAudit(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("audit: want verify")
	}
	db := dbFlag(fs)
	file := fs.String("checkpoint", "", "also prove against this checkpoint file that no audit row and no review before its last checkpoint changed")
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
	if *file == "" {
		return nil
	}
	return verifyCheckpoints(ctx, st, *file, out)
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
	case u.Role == account.Integration && len(l) == 0:
		return fmt.Errorf("user add: an integration account reports for units: name each with --unit")
	case u.Role == account.Integration:
		return nil
	case len(l) > 1:
		return fmt.Errorf("user add: only an integration account takes more than one --unit")
	case len(l) == 1:
		u.Unit = l[0]
	}
	return nil
}
