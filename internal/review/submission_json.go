package review

import (
	"unicode/utf8"
)

// DecodeJSONFast decodes data into s when data is a submission as clients
// send it: one object of known members, each once, with strings that need
// no unescaping, whole non-negative numbers, true and false, and no nulls.
// It reports false, leaving s as it was, for anything else: the caller
// then decodes with the general decoder (httpjson), whose answer, and
// refusal, stand. Every review is decoded here, and the general decoder
// took some 10 µs of each (FuzzDecodeJSONFast holds the two to the same
// result).
func (s *Submission) DecodeJSONFast(data []byte) bool {
	p := scanner{b: data}
	var out Submission
	var seen uint32
	if !p.take('{') {
		return false
	}
	if !p.take('}') {
		for {
			name, ok := p.str()
			if !ok || !p.take(':') {
				return false
			}
			bit, ok := p.member(&out, name)
			if !ok || seen&bit != 0 {
				return false
			}
			seen |= bit
			if p.take(',') {
				continue
			}
			if p.take('}') {
				break
			}
			return false
		}
	}
	p.space()
	if p.i != len(p.b) {
		return false
	}
	*s = out
	return true
}

// scanner reads the JSON of a submission from b, at i.
type scanner struct {
	b []byte
	i int
}

// member decodes the value of the member name into out, and returns the
// member's bit (for repeated names).
func (p *scanner) member(out *Submission, name []byte) (uint32, bool) {
	var ok bool
	switch string(name) {
	case "channel":
		out.Channel, ok = p.word()
		return 1 << 0, ok
	case "item":
		out.Item, ok = p.text()
		return 1 << 1, ok
	case "stage":
		out.Stage, ok = p.text()
		return 1 << 2, ok
	case "unit":
		out.Unit, ok = p.text()
		return 1 << 3, ok
	case "workstation":
		out.Workstation, ok = p.text()
		return 1 << 4, ok
	case "stars":
		out.Stars, ok = p.int()
		return 1 << 5, ok
	case "dimensions":
		out.Dimensions, ok = p.scores()
		return 1 << 6, ok
	case "tags":
		out.Tags, ok = p.texts()
		return 1 << 7, ok
	case "comment":
		out.Comment, ok = p.text()
		return 1 << 8, ok
	case "anonymous":
		var b bool
		b, ok = p.bool()
		out.Anonymous = &b
		return 1 << 9, ok
	case "reviewer_kind":
		out.ReviewerKind, ok = p.word()
		return 1 << 10, ok
	case "name":
		out.Name, ok = p.text()
		return 1 << 11, ok
	case "phone":
		out.Phone, ok = p.text()
		return 1 << 12, ok
	case "transaction":
		out.Transaction, ok = p.text()
		return 1 << 13, ok
	case "qr_token":
		out.QRToken, ok = p.text()
		return 1 << 14, ok
	case "later_review":
		out.Later, ok = p.bool()
		return 1 << 15, ok
	case "invitation_token":
		out.InvitationToken, ok = p.text()
		return 1 << 16, ok
	case "transaction_proof":
		out.TransactionProof, ok = p.text()
		return 1 << 17, ok
	}
	return 0, false
}

func (p *scanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// take consumes c, after any space, if it comes next.
func (p *scanner) take(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str is the next string's bytes, within b: one without escapes, of valid
// UTF-8.
func (p *scanner) str() ([]byte, bool) {
	if !p.take('"') {
		return nil, false
	}
	for j := p.i; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			s := p.b[p.i:j]
			if !utf8.Valid(s) {
				return nil, false
			}
			p.i = j + 1
			return s, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// text is the next string, copied: b is a buffer reused.
func (p *scanner) text() (string, bool) {
	s, ok := p.str()
	return string(s), ok
}

// word is text for a member whose values are usually one of a few words
// (a channel, a tag, a dimension): a known one is not copied.
func (p *scanner) word() (string, bool) {
	s, ok := p.str()
	return known(s), ok
}

// known is s as a string, the one in knownWords when it is there.
func known(s []byte) string {
	if w, ok := knownWords[string(s)]; ok {
		return w
	}
	return string(s)
}

// knownWords are the channels, reviewer kinds, tags and default
// dimensions, which nearly every submission names: each a string of its
// own per review was a fifth of what decoding one allocated.
var knownWords = func() map[string]string {
	m := map[string]string{string(Person): string(Person), string(Business): string(Business)}
	for _, c := range Channels {
		m[string(c)] = string(c)
	}
	for _, t := range Tags {
		m[string(t)] = string(t)
	}
	for _, d := range DefaultDimensions.Dimensions {
		m[d.Code] = d.Code
	}
	return m
}()

// end reports whether the value that ended at i is followed by what may
// follow a value.
func (p *scanner) end() bool {
	if p.i == len(p.b) {
		return true
	}
	switch p.b[p.i] {
	case ' ', '\t', '\n', '\r', ',', '}', ']':
		return true
	}
	return false
}

// int is the next number: digits only, no leading zero, at most 18 of
// them (no overflow).
func (p *scanner) int() (int, bool) {
	p.space()
	j, n := p.i, 0
	for j < len(p.b) && p.b[j] >= '0' && p.b[j] <= '9' && j-p.i < 18 {
		n = n*10 + int(p.b[j]-'0')
		j++
	}
	if j == p.i || (p.b[p.i] == '0' && j-p.i > 1) {
		return 0, false
	}
	p.i = j
	return n, p.end()
}

func (p *scanner) bool() (bool, bool) {
	p.space()
	rest := p.b[p.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		p.i += 4
		return true, p.end()
	case len(rest) >= 5 && string(rest[:5]) == "false":
		p.i += 5
		return false, p.end()
	}
	return false, false
}

// scores is an object of names and numbers, each name once.
func (p *scanner) scores() (map[string]int, bool) {
	if !p.take('{') {
		return nil, false
	}
	m := make(map[string]int, 4)
	if p.take('}') {
		return m, true
	}
	for {
		name, ok := p.str()
		if !ok || !p.take(':') {
			return nil, false
		}
		if _, dup := m[string(name)]; dup {
			return nil, false
		}
		v, ok := p.int()
		if !ok {
			return nil, false
		}
		m[known(name)] = v
		if p.take(',') {
			continue
		}
		return m, p.take('}')
	}
}

// texts is an array of strings.
func (p *scanner) texts() ([]string, bool) {
	if !p.take('[') {
		return nil, false
	}
	out := []string{}
	if p.take(']') {
		return out, true
	}
	for {
		s, ok := p.word()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if p.take(',') {
			continue
		}
		return out, p.take(']')
	}
}
