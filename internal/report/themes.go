package report

// The complaint themes (差评主题) of a period: where bad reviews concentrate,
// the sentence "差评主要集中在 …" of the 通报, written from the figures.

import (
	"context"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/theme"
)

// ThemeSource counts the city's bad reviews of a period by theme; a
// Source that is one gives the report its themes sentence.
type ThemeSource interface {
	CityThemeCounts(ctx context.Context, from, to time.Time) (map[string]int64, error)
}

// ThemeCount is one theme and its bad reviews in the period.
type ThemeCount = theme.Count

// TopThemes is how many themes the sentence names.
const TopThemes = 3

// topThemes are the themes of counts, most bad reviews first, ties in the
// taxonomy's order, at most TopThemes.
func topThemes(counts map[string]int64) []ThemeCount {
	out := theme.Default().Rank(counts)
	return out[:min(len(out), TopThemes)]
}

// ThemeSentence is the report's sentence on where bad reviews
// concentrate, in l, or that no bad review had a theme.
func (r *Report) ThemeSentence(l i18n.Lang) string {
	if len(r.Themes) == 0 {
		return l.T("report.themes.none")
	}
	parts := make([]string, len(r.Themes))
	for i, t := range r.Themes {
		parts[i] = l.Tf("report.themes.one", t.Theme.Name(string(l)), t.N)
	}
	return l.Tf("report.themes", strings.Join(parts, l.T("list.sep")))
}
