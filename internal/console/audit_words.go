package console

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/workorder"
)

// The audit trail keeps the notes the program wrote in one fixed form
// ("round 2: unit 310105, simple, 2 working days", "findings: …; …",
// "reached"): rows written years ago must read the same, so the form is
// not changed. noteInWords reads each form back and says it in the page's
// language from the catalogue; what a person typed inside it stays as
// typed.

// noteInWords is an audit note of action in l.
func noteInWords(l Lang, action, note string, units map[string]catalog.Unit) string {
	if note == "" {
		return ""
	}
	colon := func(key, rest string) string {
		if rest == "" {
			return l.T(key)
		}
		return l.T(key) + l.T("colon") + rest
	}
	switch workorder.Action(action) {
	case workorder.ActDispatch:
		return assignmentInWords(l, note, units)
	case workorder.ActRedispatch:
		head, rest, ok := strings.Cut(note, ": ")
		if n, err := strconv.Atoi(strings.TrimPrefix(head, "round ")); ok && err == nil && strings.HasPrefix(head, "round ") {
			return l.Tf("history.round", n) + l.T("colon") + assignmentInWords(l, rest, units)
		}
	case workorder.ActReply:
		if f, rest, ok := strings.Cut(strings.TrimPrefix(note, "findings: "), "; rectification: "); ok && strings.HasPrefix(note, "findings: ") {
			if r, a, ok := strings.Cut(rest, "; answer: "); ok {
				sep := l.T("note.sep")
				return colon("o.findings", f) + sep + colon("o.rectification", r) + sep + colon("o.answer", a)
			}
		}
	case workorder.ActContact:
		if rest, ok := strings.CutPrefix(note, workorder.ContactNote); ok {
			return colon("note.called_for_unit", strings.TrimPrefix(rest, ": "))
		}
	case workorder.ActFollowUp:
		phone := strings.HasPrefix(note, "by phone: ")
		rest := strings.TrimPrefix(note, "by phone: ")
		var words string
		switch {
		case strings.HasPrefix(rest, "not satisfied"):
			words = colon("history.not_satisfied", strings.TrimPrefix(strings.TrimPrefix(rest, "not satisfied"), ": "))
		case strings.HasPrefix(rest, "satisfied"):
			words = colon("history.satisfied", strings.TrimPrefix(strings.TrimPrefix(rest, "satisfied"), ": "))
		default:
			return note
		}
		if phone {
			return l.T("note.by_phone") + l.T("colon") + words
		}
		return words
	case workorder.ActOverdue, workorder.ActDueSoon:
		if t, err := time.Parse(time.RFC3339, strings.TrimPrefix(note, "due ")); err == nil {
			return l.T("o.due") + " " + t.In(calendar.Zone).Format("2006-01-02 15:04")
		}
	case workorder.ActDecideReassign:
		if r, ok := strings.CutPrefix(note, "refused: "); ok {
			return colon("note.refused", r)
		}
		if rest, ok := strings.CutPrefix(note, "granted, from unit "); ok {
			if from, to, ok := strings.Cut(rest, " to "); ok {
				return l.Tf("note.reassigned", unitWords(l, from, units)) + l.T("colon") + assignmentInWords(l, to, units)
			}
		}
	case workorder.ActAppeal:
		if g, r, ok := strings.Cut(note, ": "); ok && (g == workorder.GroundMistaken || g == workorder.GroundMalicious) {
			return colon("ground."+g, r)
		}
	case workorder.ActDecideAppeal:
		for _, d := range []string{"rejected", "upheld"} {
			if r, ok := strings.CutPrefix(note, d+": "); ok {
				return colon("appeal."+d, r)
			}
		}
	case workorder.ActRecordCause:
		if w, ok := causeInWords(l, note); ok {
			return w
		}
	case workorder.ActDecideCause:
		if r, ok := strings.CutPrefix(note, "upheld: "); ok {
			return colon("cause.contest.upheld", r)
		}
		if w, ok := causeInWords(l, strings.TrimPrefix(note, "changed to ")); ok && strings.HasPrefix(note, "changed to ") {
			return l.T("cause.contest.changed") + l.T("colon") + w
		}
	case workorder.ActEscalate:
		var n int
		if _, err := fmt.Sscanf(note, workorder.RuleNotSatisfiedNote, &n); err == nil {
			return l.Tf("note.rule.not_satisfied", n)
		}
		if d, err := time.ParseDuration(strings.TrimPrefix(note, strings.TrimSuffix(workorder.RuleOverdueNote, "%s"))); err == nil && strings.HasPrefix(note, "by rule: ") {
			return l.Tf("note.rule.overdue", strconv.FormatFloat(d.Hours(), 'f', -1, 64))
		}
	case workorder.ActCallDone:
		switch note {
		case "reached":
			return l.T("call.reached")
		case "not reached":
			return l.T("call.not_reached")
		}
	case workorder.ActCall:
		switch {
		case note == "placed":
			return l.T("note.call.placed")
		case strings.HasPrefix(note, "not placed"):
			return l.T("act.call_not_placed")
		case strings.HasPrefix(note, "failed: "):
			return l.T("note.call.failed")
		}
	}
	if strings.HasPrefix(action, "held.") {
		if id, r, ok := strings.Cut(strings.TrimPrefix(note, "review "), ": "); ok && strings.HasPrefix(note, "review ") {
			return l.Tf("note.review", id) + l.T("colon") + r
		}
	}
	return note
}

// causeInWords reads a cause note, "cause CODE[: note]", in l: the cause,
// whether it puts the unit at fault, and the note as typed.
func causeInWords(l Lang, note string) (string, bool) {
	rest, ok := strings.CutPrefix(note, "cause ")
	if !ok {
		return "", false
	}
	code, typed, _ := strings.Cut(rest, ": ")
	key := "cause.code." + code
	if !i18n.Has(key) {
		return "", false
	}
	w := l.T(key)
	if typed != "" {
		w += l.T("colon") + typed
	}
	return w, true
}

// unitWords is a unit's name in l, its code when it is not in the catalogue.
func unitWords(l Lang, code string, units map[string]catalog.Unit) string {
	if u, ok := units[code]; ok {
		return u.Name(l.Code())
	}
	return code
}
