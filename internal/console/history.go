package console

import (
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/workorder"
)

// The order's history on its page (and, in package api, in the API): every
// round's dispatch with the operator's note, first contact, reply and
// follow-up, for every role that may see the order, so the unit reads
// what the operator asked and what was answered before.

// historyRound is one round of the history as the order page shows it.
type historyRound struct {
	Round int
	Steps []historyStep
}

// historyStep is a step in the viewer's words.
type historyStep struct {
	workorder.Step
	What     string // the action in words
	By       string // the role in words
	UnitName string
	Assign   string // complexity and days in words, of a dispatch
}

// Dispatch reports whether the step sent the order to a unit.
func (s historyStep) Dispatch() bool {
	return s.Action == workorder.ActDispatch || s.Action == workorder.ActRedispatch || s.Action == workorder.ActDecideReassign
}

// historyRounds groups the steps by round, in words of l.
func historyRounds(l Lang, steps []workorder.Step, units map[string]catalog.Unit) []historyRound {
	var out []historyRound
	for _, s := range steps {
		if len(out) == 0 || out[len(out)-1].Round != s.Round {
			out = append(out, historyRound{Round: s.Round})
		}
		h := historyStep{Step: s, What: l.T("act." + string(s.Action)), UnitName: s.Unit}
		if s.Actor != "" {
			h.By = l.T("role." + string(s.Actor))
		}
		if u, ok := units[s.Unit]; ok {
			h.UnitName = u.Name(l.Code())
		}
		if !h.Dispatch() {
			h.Note = noteInWords(l, string(s.Action), s.Note, units)
		}
		if h.Dispatch() && s.Complexity != "" {
			h.Assign = l.T("complexity."+string(s.Complexity)) + " · " + l.Days(s.Days)
		}
		if s.Action == workorder.ActFollowUp {
			h.What = l.T("history.satisfied")
			if !s.Satisfied {
				h.What = l.T("history.not_satisfied")
			}
		}
		out[len(out)-1].Steps = append(out[len(out)-1].Steps, h)
	}
	return out
}
