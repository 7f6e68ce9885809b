package theme

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// The shipped taxonomy's models are trained when the package is built, not
// when a process starts: training took some 5 s of CPU and 15 MB of live
// heap at its peak, paid by every start of the server and by every test
// that started one. model.bin is what training on the shipped data gives,
// written by go generate; TestShippedModelIsTrained fails when it is not
// what training gives now, so the two cannot drift apart unseen. It is
// keyed by the data it was trained from (shippedKey): a build whose
// themes.tsv, concepts.tsv, labelled sets or settings are not the ones the
// file was trained on trains at first use instead, as before, so an edit of
// the lists is never out of step with the weights, only slower to start.
//
//go:generate go test -run ^TestShippedModelIsTrained$ -update-model
//go:embed model.bin
var shippedModel string // a string, so that the grams read from it share its bytes

// modelMagic begins model.bin; its number changes with the encoding.
const modelMagic = "haocha theme models 1\n"

// shippedKey is the SHA-256 of everything a model is trained from that is
// data rather than code: themes.tsv, concepts.tsv, the labelled sets and
// the settings. A change of the code that trains is caught by
// TestShippedModelIsTrained, not by the key.
func shippedKey() [sha256.Size]byte {
	h := sha256.New()
	field := func(s string) {
		binary.Write(h, binary.LittleEndian, uint64(len(s)))
		io.WriteString(h, s)
	}
	field(shipped)
	field(conceptsTSV)
	for _, s := range labelledSets {
		field(s)
	}
	// %v writes a map's keys sorted and a float in the fewest digits that
	// read back as it, so equal settings give equal text.
	field(fmt.Sprintf("%v", chosen))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// encode is l in the form of model.bin, keyed by key: the magic, the key,
// the vocabulary's grams, the number of concepts, then each model (in
// l.order) by its theme's code, bias, threshold and weights, integers as
// uvarints and floats as the little-endian bits of their float64, so that
// a decoded model is the trained one bit for bit.
func (l *learned) encode(key [sha256.Size]byte) []byte {
	b := append([]byte(modelMagic), key[:]...)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	float := func(f float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f)) }
	b = binary.AppendUvarint(b, uint64(len(l.vocab.grams)))
	for _, g := range l.vocab.grams {
		str(g)
	}
	b = binary.AppendUvarint(b, uint64(len(l.vocab.concepts)))
	b = binary.AppendUvarint(b, uint64(len(l.order)))
	for _, code := range l.order {
		m := l.models[code]
		str(code)
		float(m.bias)
		float(m.threshold)
		b = binary.AppendUvarint(b, uint64(len(m.w)))
		for _, w := range m.w {
			float(w)
		}
	}
	return b
}

var errModelKey = errors.New("trained from other data")

// decodeLearned reads the models of t from b, the form encode writes, if
// b's key is key; s are the settings they were trained with.
func decodeLearned(b string, key [sha256.Size]byte, t *Taxonomy, s settings) (*learned, error) {
	rest, ok := strings.CutPrefix(b, modelMagic)
	if !ok || len(rest) < len(key) {
		return nil, errors.New("not a model file")
	}
	if rest[:len(key)] != string(key[:]) {
		return nil, errModelKey
	}
	d := decoder{b: rest[len(key):]}
	v := &vocabulary{s: s, themes: t.Themes}
	v.grams = make([]string, d.uvarint())
	v.index = make(map[string]int, len(v.grams))
	for i := range v.grams {
		v.grams[i] = d.str()
		v.index[v.grams[i]] = i
	}
	switch n := d.uvarint(); {
	case s.concepts && n == len(shippedConcepts):
		v.concepts = shippedConcepts
	case s.concepts || n != 0:
		return nil, fmt.Errorf("%d concepts, not those of concepts.tsv", n)
	}
	l := &learned{vocab: v, models: map[string]*model{}}
	for range d.uvarint() {
		code := d.str()
		if _, ok := t.Theme(code); !ok || l.models[code] != nil {
			return nil, fmt.Errorf("a model of theme %q", code)
		}
		m := &model{bias: d.float(), threshold: d.float()}
		if m.w = make([]float64, d.uvarint()); len(m.w) != v.phraseFeature()+1 {
			return nil, fmt.Errorf("theme %s: %d weights for %d features", code, len(m.w), v.phraseFeature()+1)
		}
		for i := range m.w {
			m.w[i] = d.float()
		}
		l.models[code] = m
		l.order = append(l.order, code)
	}
	if d.err != nil || len(d.b) > 0 {
		return nil, errors.New("truncated or too long")
	}
	// l.order follows the taxonomy's order, as learn gives it.
	if !slices.IsSortedFunc(l.order, func(a, b string) int { return themeIndex(t, a) - themeIndex(t, b) }) {
		return nil, errors.New("models out of the taxonomy's order")
	}
	return l, nil
}

func themeIndex(t *Taxonomy, code string) int {
	return slices.IndexFunc(t.Themes, func(th Theme) bool { return th.Code == code })
}

// decoder reads what encode wrote; a read past the end sets err and
// reads zeros.
type decoder struct {
	b   string
	err error
}

func (d *decoder) uvarint() int {
	x, n := binary.Uvarint([]byte(d.b[:min(len(d.b), binary.MaxVarintLen64)]))
	if n <= 0 || x > uint64(len(d.b)) { // no count exceeds the bytes left
		d.err, d.b = errors.New("bad count"), ""
		return 0
	}
	d.b = d.b[n:]
	return int(x)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > len(d.b) {
		d.err, d.b = errors.New("short string"), ""
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.err, d.b = errors.New("short float"), ""
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64([]byte(d.b[:8])))
	d.b = d.b[8:]
	return f
}
