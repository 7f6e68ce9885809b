package figures

import (
	"fmt"
	"sort"
	"strings"

	"github.com/haocha/haocha/internal/i18n"
)

// CauseMix is the cause mix in words of l, most frequent first: "敷衍塞责 2、
// 推诿 1"; empty when no order has a cause.
func CauseMix(l i18n.Lang, causes map[string]int64) string {
	codes := make([]string, 0, len(causes))
	for c := range causes {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if causes[codes[i]] != causes[codes[j]] {
			return causes[codes[i]] > causes[codes[j]]
		}
		return codes[i] < codes[j]
	})
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s %d", l.T("cause.code."+c), causes[c])
	}
	return strings.Join(parts, l.T("list.sep"))
}
