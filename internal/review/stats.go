package review

import (
	"math"
	"strconv"
	"time"
)

// Filter narrows statistics. Empty fields do not filter. From and To are
// calendar days in the city's zone; To is inclusive.
type Filter struct {
	District    string
	Agency      string
	Unit        string
	Item        string
	Stage       string
	Channel     Channel
	Hall        string
	Workstation string
	Staff       string
	From, To    time.Time
}

// Stats summarises a set of reviews for the evaluation index.
type Stats struct {
	Total      int64              `json:"total"`
	Good       int64              `json:"good"`
	Bad        int64              `json:"bad"`
	GoodRate   float64            `json:"good_rate"`
	BadRate    float64            `json:"bad_rate"`
	Average    float64            `json:"average"`
	Stars      map[string]int64   `json:"stars"`
	Dimensions map[string]float64 `json:"dimensions"`
	Tags       map[string]int64   `json:"tags"`
}

// Tally is the raw sums from which Stats is computed; storage fills it.
type Tally struct {
	Stars [5]int64 // count of 1..5 stars
	Tags  [8]int64 // count per bit of TagSet
	// Dimension sums and counts by dimension code, over all sets.
	DimSum, DimCount map[string]int64
}

// AddScores adds one dimension set's sums and counts, by position.
func (t *Tally) AddScores(set DimensionSet, sums, counts []int64) {
	if t.DimSum == nil {
		t.DimSum, t.DimCount = map[string]int64{}, map[string]int64{}
	}
	for i, d := range set.Dimensions {
		if i < len(sums) {
			t.DimSum[d.Code] += sums[i]
			t.DimCount[d.Code] += counts[i]
		}
	}
}

// Stats computes the published figures from the tally. Every dimension of
// the current set and every tag appears, so clients see a stable shape.
func (t *Tally) Stats(current DimensionSet) Stats {
	s := Stats{Stars: map[string]int64{}, Dimensions: map[string]float64{}, Tags: map[string]int64{}}
	var sum int64
	for i, n := range t.Stars {
		s.Stars[strconv.Itoa(i+1)] = n
		s.Total += n
		sum += int64(i+1) * n
	}
	s.Bad = t.Stars[0] + t.Stars[1]
	s.Good = t.Stars[3] + t.Stars[4]
	if s.Total > 0 {
		s.GoodRate = round4(float64(s.Good) / float64(s.Total))
		s.BadRate = round4(float64(s.Bad) / float64(s.Total))
		s.Average = round4(float64(sum) / float64(s.Total))
	}
	for _, d := range current.Dimensions {
		s.Dimensions[d.Code] = 0
	}
	for code, n := range t.DimCount {
		if n > 0 {
			s.Dimensions[code] = round4(float64(t.DimSum[code]) / float64(n))
		}
	}
	for i, tag := range Tags {
		s.Tags[string(tag)] = t.Tags[i]
	}
	return s
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
