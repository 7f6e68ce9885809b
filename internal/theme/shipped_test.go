package theme

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

var updateModel = flag.Bool("update-model", false, "write model.bin: the shipped taxonomy's models trained now (go generate)")

// trainedNow is the shipped taxonomy's models trained now, once per test
// binary: the tests that compare model.bin with training share it.
var trainedNow = sync.OnceValue(func() *learned { return chosen.learn(Default(), trainingSet()) })

// referenceRounding is roundingPrint where model.bin is generated and
// checked: linux/amd64 with FMA, as CI runs. Training's last bits depend
// on the platform: math.Exp takes another path on an amd64 without FMA
// and on other architectures, and compilers for arm64 (or GOAMD64=v3)
// fuse a multiply and an add. Elsewhere model.bin cannot be compared with
// training, nor written.
const referenceRounding = "367b8bf754b3a2f4"

// roundingPrint is a digest of a small training on fixed data: it differs
// where training would round differently.
func roundingPrint() string {
	var xs [][]int
	var ys []bool
	seed := uint64(1)
	for range 200 {
		x := []int{int(xorshift(&seed) % 7), 7 + int(xorshift(&seed)%9)}
		xs, ys = append(xs, x), append(ys, xorshift(&seed)%3 == 0)
	}
	m := chosen.train(xs, ys, 16)
	h := sha256.New()
	for _, w := range append(m.w, m.bias) {
		binary.Write(h, binary.LittleEndian, math.Float64bits(w))
	}
	for i := range 1000 {
		binary.Write(h, binary.LittleEndian, math.Float64bits(sigmoid(float64(i-500)/37)))
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:8])
}

// TestShippedModelIsTrained: model.bin is, byte for byte, the shipped
// taxonomy's models trained now on the shipped data, and the shipped
// taxonomy reads it rather than training; go generate writes it again
// (shipped.go).
func TestShippedModelIsTrained(t *testing.T) {
	if p := roundingPrint(); p != referenceRounding {
		t.Skipf("training rounds otherwise on this platform (%s, not %s): model.bin is generated and checked on linux/amd64 with FMA", p, referenceRounding)
	}
	l := trainedNow()
	b := l.encode(shippedKey())
	if *updateModel {
		if err := os.WriteFile("model.bin", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(b) != shippedModel {
		t.Fatalf("model.bin (%d bytes) is not the models trained now (%d bytes): run go generate ./internal/theme", len(shippedModel), len(b))
	}
	got, err := decodeLearned(shippedModel, shippedKey(), Default(), chosen)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.vocab.grams, l.vocab.grams) || len(got.vocab.index) != len(l.vocab.index) ||
		len(got.vocab.concepts) != len(l.vocab.concepts) || !slices.Equal(got.order, l.order) {
		t.Fatal("model.bin's vocabulary is not the one trained")
	}
	for g, i := range l.vocab.index {
		if got.vocab.index[g] != i {
			t.Fatalf("gram %q: index %d, trained %d", g, got.vocab.index[g], i)
		}
	}
	for code, m := range l.models {
		if !sameModel(got.models[code], m) {
			t.Errorf("%s: model.bin's model is not the one trained", code)
		}
	}
	for code, m := range l.models {
		if !sameModel(Default().models().models[code], m) {
			t.Errorf("%s: the shipped taxonomy's model is not the one trained", code)
		}
	}
}

// sameModel says whether a and b have the same weights, bias and
// threshold, bit for bit.
func sameModel(a, b *model) bool {
	return a != nil && b != nil && slices.Equal(a.w, b.w) && a.bias == b.bias && a.threshold == b.threshold
}

// TestShippedModelKeyed: models trained from other data than this build's
// are not read, and a damaged file is refused, not misread; the shipped
// taxonomy then trains.
func TestShippedModelKeyed(t *testing.T) {
	key := shippedKey()
	other := key
	other[0] ^= 1
	if _, err := decodeLearned(shippedModel, other, Default(), chosen); !errors.Is(err, errModelKey) {
		t.Errorf("read with another key: %v, want %v", err, errModelKey)
	}
	if _, err := decodeLearned(shippedModel[:len(shippedModel)-1], key, Default(), chosen); err == nil {
		t.Error("a truncated model.bin was read")
	}
	if _, err := decodeLearned(shippedModel+"\x00", key, Default(), chosen); err == nil {
		t.Error("a model.bin with a byte more was read")
	}
	if _, err := decodeLearned("something else", key, Default(), chosen); err == nil {
		t.Error("a file that is not a model was read")
	}
	// A taxonomy without one of the themes model.bin has a model of.
	fewer, err := Parse(strings.NewReader(strings.Replace(shipped, "\nattitude\t", "\nattitude_x\t", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeLearned(shippedModel, key, fewer, chosen); err == nil {
		t.Error("models of a theme the taxonomy lacks were read")
	}
	// Each input of the key changes it.
	for name, edit := range map[string]func(){
		"themes.tsv":   func() { shipped += "\n" },
		"concepts.tsv": func() { conceptsTSV += "\n" },
		"a set":        func() { labelledSets[3] += "\n" },
		"settings":     func() { chosen.tilt = map[string]float64{"attitude": 0.05} },
	} {
		s, c, sets, set := shipped, conceptsTSV, slices.Clone(labelledSets), chosen
		edit()
		if shippedKey() == key {
			t.Errorf("an edit of %s keeps the key", name)
		}
		shipped, conceptsTSV, labelledSets, chosen = s, c, sets, set
	}
}
