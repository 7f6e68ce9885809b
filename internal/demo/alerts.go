package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/haocha/haocha/internal/alert"
)

// alertStep is something the General Office does to an alert, some
// hours after the review that raised it.
type alertStep struct {
	act   alert.Action
	after time.Duration
	note  string
}

// alertLives are the stories the demo's alerts are given in turn, oldest
// alert first: resolved, still open, supervised, acknowledged, still open.
var alertLives = [][]alertStep{
	{{alert.Acknowledge, 3 * time.Hour, ""}, {alert.Resolve, 50 * time.Hour, "已约谈窗口负责人，相关人员已整改，回访市民满意。"}},
	nil,
	{{alert.Supervise, 5 * time.Hour, "同一窗口多次差评，列入年度考核督办。"}},
	{{alert.Acknowledge, 20 * time.Hour, ""}},
	nil,
}

// AlertLives plays the General Office's work on the alerts the demo's
// first sweep raised, as Live plays the orders': each step at its own time
// after the alert's review, none still to come, so the list shows alerts
// in every state with their history.
func AlertLives(ctx context.Context, st alert.Store, raised []*alert.Alert, now time.Time) error {
	raised = slices.Clone(raised)
	slices.SortFunc(raised, func(a, b *alert.Alert) int { return a.At.Compare(b.At) })
	for i, a := range raised {
		var at time.Time
		svc := alert.NewService(st, func() time.Time { return at })
		for _, s := range alertLives[i%len(alertLives)] {
			if at = a.At.Add(s.after); at.After(now) {
				break
			}
			if _, err := svc.Act(ctx, supervisor, a.ID, s.act, s.note); err != nil {
				return fmt.Errorf("demo alert %d: %w", a.ID, err)
			}
		}
	}
	return nil
}
