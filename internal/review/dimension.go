package review

import (
	"sort"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
)

// MaxDimensions is how many dimensions one set may rate; storage keeps a
// score per position.
const MaxDimensions = 6

// Dimension is one aspect a citizen rates, 1 to 5.
type Dimension struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// DimensionSet is a versioned list of dimensions. Reviews keep the set they
// were given under, so a new set never rewrites history.
type DimensionSet struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Version    int         `json:"version"`
	Dimensions []Dimension `json:"dimensions"`
}

// DefaultDimensions is Shanghai's set: accuracy, efficiency, convenience,
// innovation.
var DefaultDimensions = DimensionSet{
	Name:    "shanghai",
	Version: 1,
	Dimensions: []Dimension{
		{"accuracy", "办事准确", "Accuracy"},
		{"efficiency", "办事效率", "Efficiency"},
		{"convenience", "便捷程度", "Convenience"},
		{"innovation", "创新程度", "Innovation"},
	},
}

// Scores checks dims against the set and returns the scores by position.
// Dimensions are optional; a given one must be known and 1 to 5.
func (d DimensionSet) Scores(dims map[string]int) ([]int, error) {
	scores := make([]int, len(d.Dimensions))
	valid := true
	for k, v := range dims {
		i := d.index(k)
		if i < 0 || v < 1 || v > 5 {
			valid = false
			break
		}
		scores[i] = v
	}
	if valid {
		return scores, nil
	}
	// Some score is wrong: the same one is named every time, so the
	// names are sorted (only here: sorting costs every review otherwise).
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys) // report the same field first every time
	for _, k := range keys {
		i := d.index(k)
		if i < 0 {
			codes := make([]string, len(d.Dimensions))
			for j, dim := range d.Dimensions {
				codes[j] = dim.Code
			}
			return nil, apperr.Invalidf("dimensions."+k, "unknown dimension; want %s", strings.Join(codes, ", "))
		}
		if v := dims[k]; v < 1 || v > 5 {
			return nil, apperr.Invalidf("dimensions."+k, "must be 1 to 5, got %d", v)
		}
		scores[i] = dims[k]
	}
	return scores, nil
}

func (d DimensionSet) index(code string) int {
	for i, dim := range d.Dimensions {
		if dim.Code == code {
			return i
		}
	}
	return -1
}
