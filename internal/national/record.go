package national

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/transaction"
)

// Review is a stored review as the export needs it, in Haocha's codes.
// It carries no name, phone or comment: a comment is free text and may
// name the citizen, so it never leaves.
type Review struct {
	ID                                                     int64
	At                                                     time.Time
	Channel, Item, Stage, Unit, District, Hall, Window, WS string
	Stars                                                  int
	Scores                                                 map[string]int // dimension code → 1..5
	Tags                                                   []string
	Anonymous                                              bool
	ReviewerKind                                           string
	Transaction                                            string // "" for a free review
	Default                                                bool   // 默认好评, recorded for the citizen
}

// TransactionRecord is one line of the transactions file.
type TransactionRecord struct {
	MappingVersion string `json:"mapping_version"`
	Number         string `json:"number"`
	Item           string `json:"item"`
	Stages         string `json:"stages"` // stage codes separated by |
	Unit           string `json:"unit"`
	District       string `json:"district"`
	Hall           string `json:"hall"`
	Window         string `json:"window"`
	Workstation    string `json:"workstation"`
	ChannelCode    string `json:"channel_code"`
	ApplicantKind  string `json:"applicant_kind_code"`
	AcceptedAt     string `json:"accepted_at"`
	FinishedAt     string `json:"finished_at"`
}

// ReviewRecord is one line of the reviews file. An anonymous review keeps
// no time finer than its day and no transaction number (the business
// system knows whose number it is): anonymous stays anonymous.
type ReviewRecord struct {
	MappingVersion   string   `json:"mapping_version"`
	ID               string   `json:"id"`
	RatedOn          string   `json:"rated_on"`
	RatedAt          string   `json:"rated_at"` // "" for an anonymous review
	ChannelCode      string   `json:"channel_code"`
	Item             string   `json:"item"`
	Stage            string   `json:"stage"`
	Unit             string   `json:"unit"`
	District         string   `json:"district"`
	Hall             string   `json:"hall"`
	Window           string   `json:"window"`
	Workstation      string   `json:"workstation"`
	SatisfactionCode string   `json:"satisfaction_code"`
	Dimensions       []Score  `json:"dimensions"`
	Tags             []string `json:"tag_codes"`
	Anonymous        bool     `json:"anonymous"`
	ReviewerKind     string   `json:"reviewer_kind_code"`
	Transaction      string   `json:"transaction"`
	DefaultReview    bool     `json:"default_review"`
}

// Score is one dimension's national code and its score, coded like stars.
type Score struct {
	Code      string `json:"code"`
	ScoreCode string `json:"score_code"`
}

// stamp writes t in the city's zone.
func stamp(t time.Time) string { return t.In(calendar.Zone).Format(time.RFC3339) }

// Transaction maps t. The applicant's phone is never read.
func (m *Mapping) Transaction(t *transaction.Transaction) (TransactionRecord, error) {
	ch, err := m.lookup(m.Channels, "channel", string(t.Channel))
	if err != nil {
		return TransactionRecord{}, err
	}
	kind, err := m.lookup(m.ApplicantKinds, "applicant_kind", string(t.ApplicantKind))
	if err != nil {
		return TransactionRecord{}, err
	}
	return TransactionRecord{MappingVersion: m.Version, Number: t.Number, Item: t.Item, Stages: strings.Join(t.Stages, "|"),
		Unit: t.Unit, District: t.District, Hall: t.Hall, Window: t.Window, Workstation: t.Workstation,
		ChannelCode: ch.Code, ApplicantKind: kind.Code, AcceptedAt: stamp(t.AcceptedAt), FinishedAt: stamp(t.FinishedAt)}, nil
}

// Review maps r: the star direction turns here and nowhere else.
func (m *Mapping) Review(r Review) (ReviewRecord, error) {
	ch, err := m.lookup(m.Channels, "channel", r.Channel)
	if err != nil {
		return ReviewRecord{}, err
	}
	star, err := m.Star("stars", r.Stars)
	if err != nil {
		return ReviewRecord{}, err
	}
	kind, err := m.lookup(m.ReviewerKinds, "reviewer_kind", r.ReviewerKind)
	if err != nil {
		return ReviewRecord{}, err
	}
	out := ReviewRecord{MappingVersion: m.Version, ID: strconv.FormatInt(r.ID, 10),
		RatedOn: r.At.In(calendar.Zone).Format(time.DateOnly), ChannelCode: ch.Code, Item: r.Item, Stage: r.Stage,
		Unit: r.Unit, District: r.District, Hall: r.Hall, Window: r.Window, Workstation: r.WS,
		SatisfactionCode: star.Code, Dimensions: []Score{}, Tags: []string{}, Anonymous: r.Anonymous,
		ReviewerKind: kind.Code, DefaultReview: r.Default}
	if !r.Anonymous {
		out.RatedAt, out.Transaction = stamp(r.At), r.Transaction
	}
	for _, d := range sortedKeys(r.Scores) {
		dim, err := m.lookup(m.Dimensions, "dimensions."+d, d)
		if err != nil {
			return ReviewRecord{}, err
		}
		s, err := m.Star("dimensions."+d, r.Scores[d])
		if err != nil {
			return ReviewRecord{}, err
		}
		out.Dimensions = append(out.Dimensions, Score{Code: dim.Code, ScoreCode: s.Code})
	}
	for _, t := range r.Tags {
		tag, err := m.lookup(m.Tags, "tags", t)
		if err != nil {
			return ReviewRecord{}, err
		}
		out.Tags = append(out.Tags, tag.Code)
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// transactionHeader and reviewHeader are the CSV columns, named as the
// JSON fields are.
var (
	transactionHeader = []string{"mapping_version", "number", "item", "stages", "unit", "district", "hall", "window",
		"workstation", "channel_code", "applicant_kind_code", "accepted_at", "finished_at"}
	reviewHeader = []string{"mapping_version", "id", "rated_on", "rated_at", "channel_code", "item", "stage", "unit",
		"district", "hall", "window", "workstation", "satisfaction_code", "dimensions", "tag_codes", "anonymous",
		"reviewer_kind_code", "transaction", "default_review"}
)

func (t TransactionRecord) row() []string {
	return []string{t.MappingVersion, t.Number, t.Item, t.Stages, t.Unit, t.District, t.Hall, t.Window,
		t.Workstation, t.ChannelCode, t.ApplicantKind, t.AcceptedAt, t.FinishedAt}
}

// row writes dimensions as code:score pairs separated by |, tags by |.
func (r ReviewRecord) row() []string {
	dims := make([]string, len(r.Dimensions))
	for i, d := range r.Dimensions {
		dims[i] = d.Code + ":" + d.ScoreCode
	}
	return []string{r.MappingVersion, r.ID, r.RatedOn, r.RatedAt, r.ChannelCode, r.Item, r.Stage, r.Unit,
		r.District, r.Hall, r.Window, r.Workstation, r.SatisfactionCode, strings.Join(dims, "|"),
		strings.Join(r.Tags, "|"), strconv.FormatBool(r.Anonymous), r.ReviewerKind, r.Transaction,
		strconv.FormatBool(r.DefaultReview)}
}
