package console

import (
	"context"
	"strings"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/theme"
	"github.com/haocha/haocha/internal/workorder"
)

// reviewNames are the names of what a review rated, in the viewer's
// language: staff read names, never catalogue codes.
type reviewNames struct {
	Item, Stage, RatedUnit, Hall, Workstation string
	Tags                                      []string
	Themes                                    []themeShown // complaint themes (差评主题)
}

// themeShown is a complaint theme of a review by name, and why it was given
// in words: its tag, its phrases, or the words of the comment that weighed
// most for it in the theme's model (theme.Explain), so that staff can see
// what the matcher read and judge it.
type themeShown struct {
	Name, Why string
}

// themeWhy puts a theme's reason in words in the viewer's language, in
// brackets: its tag if a tag names it, else the words that weighed most,
// else its phrases.
func themeWhy(l Lang, r theme.Reason) string {
	var why string
	switch {
	case r.Tag != "":
		why = l.Tf("theme.why.tag", l.T("tag."+r.Tag))
	case len(r.Grams) > 0:
		quoted := make([]string, len(r.Grams))
		for i, g := range r.Grams {
			quoted[i] = l.Tf("theme.why.gram", g)
		}
		why = l.Tf("theme.why.grams", strings.Join(quoted, l.T("list.sep")))
	case r.Phrase:
		why = l.T("theme.why.phrase")
	default:
		return ""
	}
	return l.Tf("theme.why", why)
}

// namesOf looks up the names of r's item, stage, unit, hall and
// workstation; a code the catalogue no longer has shows as itself.
func (c *Console) namesOf(ctx context.Context, l Lang, r *review.Record, units map[string]catalog.Unit) reviewNames {
	n := reviewNames{Item: r.Item, Stage: r.Stage, RatedUnit: r.Unit, Workstation: r.Workstation}
	if it, err := c.Store.Item(ctx, r.Item); err == nil {
		n.Item = it.Name(l.Code())
		for _, s := range it.Stages {
			if s.Code == r.Stage {
				n.Stage = s.Name(l.Code())
			}
		}
	}
	if u, ok := units[r.Unit]; ok {
		n.RatedUnit = u.Name(l.Code())
	}
	if r.Workstation != "" {
		if p, err := c.Store.Place(ctx, r.Workstation); err == nil {
			n.Hall, n.Workstation = p.Hall.Name(l.Code()), p.Window.NameIn(l.Code())+" · "+p.Workstation.NameIn(l.Code())
		}
	} else if r.Hall != "" {
		n.Hall = r.Hall
		if h, err := c.Store.Hall(ctx, r.Hall); err == nil {
			n.Hall = h.Name(l.Code())
		}
	}
	for _, t := range r.Tags.List() {
		n.Tags = append(n.Tags, l.T("tag."+string(t)))
	}
	if r.Stars <= 2 { // only bad reviews have themes (theme.OfReview)
		tax := theme.Default()
		for _, why := range tax.Explain(r.Comment, tagNames(r.Tags)) {
			th, _ := tax.Theme(why.Theme)
			n.Themes = append(n.Themes, themeShown{Name: th.Name(l.Code()), Why: themeWhy(l, why)})
		}
	}
	return n
}

// auditLine is one line of the readable audit trail.
type auditLine struct {
	audit.Entry
	Who    string // the actor in words
	What   string // the action in words
	States string // "from → to" in words, empty when the state stayed
	Times  int    // views collapsed into this line
}

// readableAudit puts the trail in words and collapses each viewer's views
// of the order and of the reviewer's contact into one line per viewer and
// kind, at the place of the last view: a day's reading otherwise buries
// what was done.
func readableAudit(l Lang, entries []audit.Entry, units map[string]catalog.Unit) []auditLine {
	var out []auditLine
	seen := map[string]int{} // actor+action → index in out
	for _, e := range entries {
		view := e.Action == string(workorder.ActView) || e.Action == string(workorder.ActViewContact)
		if view {
			if i, ok := seen[e.Actor+"\x00"+e.Action]; ok {
				out[i].Times++
				out[i].At = e.At
				continue
			}
		}
		line := auditLine{Entry: e, Who: actorName(l, e.Actor), What: l.T("act." + e.Action), Times: 1}
		if e.From != e.To && e.From != "" {
			line.States = l.T("order.state."+e.From) + " → " + l.T("order.state."+e.To)
		} else if e.From == "" && e.To != "" {
			line.States = l.T("order.state." + e.To)
		}
		if view {
			line.Note = ""
			seen[e.Actor+"\x00"+e.Action] = len(out)
		}
		line.Note = noteInWords(l, e.Action, line.Note, units)
		out = append(out, line)
	}
	return out
}

// assignmentInWords puts a dispatch's note (workorder.ReadAssignNote) in
// the page's language, the unit by name; any other note is left as
// written.
func assignmentInWords(l Lang, note string, units map[string]catalog.Unit) string {
	a, ok := workorder.ReadAssignNote(note)
	if !ok {
		return note
	}
	unit := a.Unit
	if u, ok := units[unit]; ok {
		unit = u.Name(l.Code())
	}
	sep := ", "
	if l == LangZH {
		sep = "，"
	}
	words := unit + sep + l.T("complexity."+string(a.Complexity)) + sep + l.Days(a.Days)
	if a.Note != "" {
		words += sep + a.Note
	}
	return words
}

// actorName is "name (role)" for an audit actor written "role:name".
func actorName(l Lang, actor string) string {
	role, name, ok := strings.Cut(actor, ":")
	if !ok {
		return l.T("role." + actor)
	}
	if l == LangZH {
		return name + "（" + l.T("role."+role) + "）"
	}
	return name + " (" + l.T("role."+role) + ")"
}

// tagNames is a review's tags as the theme taxonomy names them.
func tagNames(s review.TagSet) []string {
	var out []string
	for _, t := range s.List() {
		out = append(out, string(t))
	}
	return out
}
