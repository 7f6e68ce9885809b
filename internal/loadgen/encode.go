package loadgen

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/review"
)

// appendSubmission appends s to b as json.Marshal encodes it, byte for
// byte (TestAppendSubmissionAsMarshal), without its reflection and
// allocations: json.Marshal and the generator were 5% of loadgen's CPU in
// an honest run, CPU the server's cores lose.
func appendSubmission(b []byte, s *review.Submission) []byte {
	b = append(b, `{"channel":`...)
	b = appendString(b, s.Channel)
	b = append(b, `,"item":`...)
	b = appendString(b, s.Item)
	b = append(b, `,"stage":`...)
	b = appendString(b, s.Stage)
	b = appendOptional(b, `,"unit":`, s.Unit)
	b = appendOptional(b, `,"workstation":`, s.Workstation)
	b = append(b, `,"stars":`...)
	b = strconv.AppendInt(b, int64(s.Stars), 10)
	if len(s.Dimensions) > 0 {
		b = append(b, `,"dimensions":{`...)
		keys := make([]string, 0, 8)
		for k := range s.Dimensions {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(s.Dimensions[k]), 10)
		}
		b = append(b, '}')
	}
	if len(s.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range s.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	b = appendOptional(b, `,"comment":`, s.Comment)
	if s.Anonymous != nil {
		b = append(b, `,"anonymous":`...)
		b = strconv.AppendBool(b, *s.Anonymous)
	}
	b = appendOptional(b, `,"reviewer_kind":`, s.ReviewerKind)
	b = appendOptional(b, `,"name":`, s.Name)
	b = appendOptional(b, `,"phone":`, s.Phone)
	b = appendOptional(b, `,"transaction":`, s.Transaction)
	b = appendOptional(b, `,"qr_token":`, s.QRToken)
	if s.Later {
		b = append(b, `,"later_review":true`...)
	}
	b = appendOptional(b, `,"invitation_token":`, s.InvitationToken)
	b = appendOptional(b, `,"transaction_proof":`, s.TransactionProof)
	return append(b, '}')
}

// appendOptional is an omitempty string member: name and value, or
// nothing when v is empty.
func appendOptional(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return appendString(append(b, name...), v)
}

// appendString appends v as a JSON string: as it is between quotes when
// nothing in it needs escaping, else as json.Marshal escapes it.
func appendString(b []byte, v string) []byte {
	for i, r := range v {
		if r < 0x20 || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' ||
			r == '\u2028' || r == '\u2029' || (r == utf8.RuneError && !validAt(v, i)) {
			q, _ := json.Marshal(v)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, v...)
	return append(b, '"')
}

// validAt reports whether the U+FFFD at v[i] is written as such, not an
// invalid byte that decoded to it.
func validAt(v string, i int) bool {
	_, size := utf8.DecodeRuneInString(v[i:])
	return size == 3
}
