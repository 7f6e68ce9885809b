// Package review holds what a citizen's rating is: channels, stars,
// dimensions, problem tags and the rules a review must satisfy, and the
// statistics computed over reviews.
package review

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
)

// Channel is how a review reached us.
type Channel string

// Channels. National codes (GB/T 39046) are a mapping at the edge.
const (
	Window  Channel = "window"  // QR code at a workstation
	Tablet  Channel = "tablet"  // rating device at the window (评价器)
	Kiosk   Channel = "kiosk"   // self-service terminal
	PC      Channel = "pc"      // online portal
	App     Channel = "app"     // the city's citizen app
	WeChat  Channel = "wechat"  // WeChat scan or mini-programme
	Alipay  Channel = "alipay"  // Alipay scan or mini-programme
	Hotline Channel = "hotline" // 12345 phone
	SMS     Channel = "sms"     // invitation by text message
)

// Channels lists every channel in display order.
var Channels = []Channel{Window, Tablet, Kiosk, PC, App, WeChat, Alipay, Hotline, SMS}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// ReviewerKind tells a person from a business.
type ReviewerKind string

// Reviewer kinds.
const (
	Person   ReviewerKind = "person"
	Business ReviewerKind = "business"
)

// Tag is a problem named in a bad review.
type Tag string

// Problem tags: the trial's main complaints.
const (
	Attitude       Tag = "attitude"        // 服务态度
	Materials      Tag = "materials"       // 材料收取
	MultipleTrips  Tag = "multiple_trips"  // 多次跑动
	MissedDeadline Tag = "missed_deadline" // 承诺时限未兑现
	OtherTag       Tag = "other"
)

// Tags lists every tag; a tag's position is its bit in a TagSet.
var Tags = []Tag{Attitude, Materials, MultipleTrips, MissedDeadline, OtherTag}

// TagNames are the codes of Tags, in their order, as the recount of the
// index takes them.
func TagNames() []string {
	out := make([]string, len(Tags))
	for i, t := range Tags {
		out[i] = string(t)
	}
	return out
}

// NameZH is the tag's Chinese name, as reports print it.
func (t Tag) NameZH() string {
	switch t {
	case Attitude:
		return "服务态度"
	case Materials:
		return "材料收取"
	case MultipleTrips:
		return "多次跑动"
	case MissedDeadline:
		return "承诺时限未兑现"
	case OtherTag:
		return "其他"
	}
	return string(t)
}

// TagSet is a set of tags as a bit mask, bit i standing for Tags[i].
type TagSet uint8

// ParseTags turns tag names into a set, refusing unknown names.
func ParseTags(names []string) (TagSet, error) {
	var s TagSet
next:
	for _, n := range names {
		for i, t := range Tags {
			if Tag(n) == t {
				s |= 1 << i
				continue next
			}
		}
		return 0, apperr.Invalidf("tags", "unknown tag %q", n)
	}
	return s, nil
}

// Has reports whether t is in s.
func (s TagSet) Has(t Tag) bool {
	for i, k := range Tags {
		if k == t {
			return s&(1<<i) != 0
		}
	}
	return false
}

// List returns the tags in s in their canonical order.
func (s TagSet) List() []Tag {
	out := []Tag{}
	for i, t := range Tags {
		if s&(1<<i) != 0 {
			out = append(out, t)
		}
	}
	return out
}

// Contact is a real-name reviewer's personal data. It is kept apart from
// the review and shown only to those allowed to see it.
type Contact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// ContactCipher seals a reviewer's contact before it is stored and opens
// it for those allowed to see it: storage holds only sealed values.
type ContactCipher interface {
	SealContact(Contact) (Contact, error)
	OpenContact(Contact) (Contact, error)
}

// Review is one citizen's rating of one stage of one service.
type Review struct {
	ID        int64
	CreatedAt time.Time
	Channel   Channel

	Item        string
	Stage       string
	Unit        string
	District    string // of the unit or hall; empty for a municipal agency online
	Hall        string
	Window      string
	Workstation string
	Staff       string

	Stars        int
	DimensionSet int64
	Scores       []int // by position in the dimension set; 0 = not given

	Tags         TagSet
	Comment      string
	Anonymous    bool
	ReviewerKind ReviewerKind
	Contact      *Contact // nil when anonymous
	Transaction  string
	ClientMark   string // hashed device/client mark for abuse control
	Origin       Origin // "" is Free
	// Verification is how far the reviewer showed they were served; ""
	// is Unverified.
	Verification Verification
	NetMark      string // hashed network (IPv4 /32, IPv6 /64) of the client
	TextPrint    string // hash of the comment reduced to its letters; "" when too short
	// Held names why the fraud detectors hold the review out of the index
	// pending a supervisor's decision; empty when it counts.
	Held string
	// Later asks that the review be the later review (追评) of the first
	// review of its transaction and stage; Follows is that first review's
	// id once stored. The index counts the latest opinion only.
	Later   bool
	Follows int64
	// Bursts are the bursts that screening found this held review ends:
	// their earlier reviews are held with it, in the transaction that
	// stores it.
	Bursts []Burst
}

// Burst is a run of reviews that share what one detector watches (a
// network, a device, a workstation...), within Window before a review.
type Burst struct {
	Signal string // the detector (fraud.Signal)
	Window time.Duration
}

// Origin is where a review came from, as far as the index must tell.
type Origin string

// Origins.
const (
	Free            Origin = "free"        // no reported transaction: counted apart
	FromTransaction Origin = "transaction" // linked to a reported transaction
	// Default is a default review (默认好评) recorded when a transaction's
	// rating window closed unrated: never one the citizen gave.
	Default Origin = "default"
)

// Verification is how far a review is bound to a real service event: it
// decides what the review may name and what the index counts it for
// (docs/domain.md, "Verification levels").
type Verification string

// Verification levels, strongest first.
const (
	// ByTransaction: the reviewer showed the 办件 is theirs (signed in as
	// its applicant, its invitation link, or the window's paired rating
	// device while it was served).
	ByTransaction Verification = "transaction"
	// ByPresence: the reviewer showed they stood at the workstation on this
	// visit (a signed-in citizen with a transaction reported there today
	// who scanned its printed QR code).
	ByPresence Verification = "presence"
	// Unverified: anything else. It may not name a workstation.
	Unverified Verification = "unverified"
)

// Or is v, or Unverified when v is empty.
func (v Verification) Or() Verification {
	if v == "" {
		return Unverified
	}
	return v
}

// Bad reports whether the review is a bad review (差评): 1 or 2 stars.
func (r *Review) Bad() bool { return r.Stars <= 2 }

// NeedsWorkOrder reports whether the review must become a 12345 work order:
// a bad review that names a concrete problem, in words or by a tag.
func (r *Review) NeedsWorkOrder() bool {
	return r.Bad() && (strings.TrimSpace(r.Comment) != "" || r.Tags != 0)
}

// Limits on free text, in characters.
const (
	MaxComment     = 2000
	MaxName        = 64
	MaxTransaction = 64
)

// Submission is a review as a client sends it, before it is checked and
// resolved against the catalogue.
type Submission struct {
	Channel      string         `json:"channel"`
	Item         string         `json:"item"`
	Stage        string         `json:"stage"`
	Unit         string         `json:"unit,omitempty"`
	Workstation  string         `json:"workstation,omitempty"`
	Stars        int            `json:"stars"`
	Dimensions   map[string]int `json:"dimensions,omitempty"`
	Tags         []string       `json:"tags,omitempty"`
	Comment      string         `json:"comment,omitempty"`
	Anonymous    *bool          `json:"anonymous,omitempty"`
	ReviewerKind string         `json:"reviewer_kind,omitempty"`
	Name         string         `json:"name,omitempty"`
	Phone        string         `json:"phone,omitempty"`
	Transaction  string         `json:"transaction,omitempty"`
	// QRToken is the workstation's QR token (the t of /r/{workstation}):
	// a window review's proof that the reviewer stood there.
	QRToken string `json:"qr_token,omitempty"`
	// Later makes the review the later review (追评) of the first review of
	// the same transaction and stage.
	Later bool `json:"later_review,omitempty"`
	// InvitationToken is the token of the transaction's invitation link
	// (the t of /i/{t}): proof that the transaction is the reviewer's.
	InvitationToken string `json:"invitation_token,omitempty"`
	// TransactionProof is the proof the window's rating device puts in
	// its per-transaction QR code (the p of its link).
	TransactionProof string `json:"transaction_proof,omitempty"`
	// CitizenHash is the signed-in citizen's identity hash (package
	// citizen; for a phone, sms.PhoneHash with the outbox's key), set by
	// the pages and the API from the session, never from the body.
	CitizenHash string `json:"-"`
}

// Check validates everything in s that does not need the catalogue and
// returns the review it describes, scored against set.
func (s *Submission) Check(set DimensionSet) (*Review, error) {
	r := &Review{
		Channel:      Channel(s.Channel),
		Item:         strings.TrimSpace(s.Item),
		Stage:        strings.TrimSpace(s.Stage),
		Unit:         strings.TrimSpace(s.Unit),
		Workstation:  strings.TrimSpace(s.Workstation),
		Stars:        s.Stars,
		Comment:      strings.TrimSpace(s.Comment),
		ReviewerKind: ReviewerKind(s.ReviewerKind),
		Transaction:  strings.TrimSpace(s.Transaction),
		DimensionSet: set.ID,
		Later:        s.Later,
	}
	switch {
	case s.Channel == "":
		return nil, apperr.Invalidf("channel", "required")
	case !r.Channel.Valid():
		return nil, apperr.Invalidf("channel", "unknown channel %q", s.Channel)
	case r.Item == "":
		return nil, apperr.Invalidf("item", "required")
	case r.Stage == "":
		return nil, apperr.Invalidf("stage", "required")
	case s.Stars < 1 || s.Stars > 5:
		return nil, apperr.Invalidf("stars", "must be 1 to 5, got %d", s.Stars)
	case utf8.RuneCountInString(r.Comment) > MaxComment:
		return nil, apperr.Invalidf("comment", "longer than %d characters", MaxComment)
	case utf8.RuneCountInString(r.Transaction) > MaxTransaction:
		return nil, apperr.Invalidf("transaction", "longer than %d characters", MaxTransaction)
	case r.Channel == Window && r.Workstation == "":
		return nil, apperr.Invalidf("workstation", "required for a review from a workstation QR code")
	case r.Later && r.Transaction == "":
		return nil, apperr.Invalidf("transaction", "required for a later review review: the transaction first reviewed")
	}
	for _, t := range []struct {
		field, text string
		multiline   bool
	}{{"comment", r.Comment, true}, {"transaction", r.Transaction, false}, {"name", s.Name, false}} {
		if err := CheckText(t.field, t.text, t.multiline); err != nil {
			return nil, err
		}
	}
	if r.ReviewerKind == "" {
		r.ReviewerKind = Person
	} else if r.ReviewerKind != Person && r.ReviewerKind != Business {
		return nil, apperr.Invalidf("reviewer_kind", "want person or business, got %q", s.ReviewerKind)
	}
	var err error
	if r.Scores, err = set.Scores(s.Dimensions); err != nil {
		return nil, err
	}
	if r.Tags, err = ParseTags(s.Tags); err != nil {
		return nil, err
	}
	if s.Anonymous == nil {
		return nil, apperr.Invalidf("anonymous", "required: true, or false with name and phone")
	}
	r.Anonymous = *s.Anonymous
	if !r.Anonymous {
		c := Contact{Name: strings.TrimSpace(s.Name), Phone: NormalizePhone(s.Phone)}
		switch {
		case c.Name == "":
			return nil, apperr.Invalidf("name", "required for a real-name review")
		case utf8.RuneCountInString(c.Name) > MaxName:
			return nil, apperr.Invalidf("name", "longer than %d characters", MaxName)
		case s.Phone == "":
			return nil, apperr.Invalidf("phone", "required for a real-name review")
		case !ValidPhone(c.Phone):
			return nil, apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
		}
		r.Contact = &c
	}
	return r, nil
}

// NormalizePhone drops spaces, dashes and a +86 prefix.
func NormalizePhone(p string) string {
	p = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(p))
	p = strings.TrimPrefix(p, "+86")
	return p
}

// ValidPhone accepts a mainland mobile (1xxxxxxxxxx) or a fixed line with
// its area code (0 and 9 to 11 more digits).
func ValidPhone(p string) bool {
	if len(p) < 10 || len(p) > 12 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return (p[0] == '1' && len(p) == 11) || p[0] == '0'
}

// MaskPhone shows a phone to those who may contact but not read it whole.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return "****"
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}
