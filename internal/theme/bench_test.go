package theme

import (
	"strings"
	"testing"
)

// BenchmarkTraining: how long the models take to train, as a build whose
// themes' data are not model.bin's does at first use, and go generate.
func BenchmarkTraining(b *testing.B) {
	exs := trainingSet()
	for b.Loop() {
		tax, err := Parse(strings.NewReader(shipped))
		if err != nil {
			b.Fatal(err)
		}
		chosen.learn(tax, exs)
	}
}

// BenchmarkShippedModel: how long the shipped taxonomy takes to read its
// models from model.bin at first use.
func BenchmarkShippedModel(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeLearned(shippedModel, shippedKey(), Default(), chosen); err != nil {
			b.Fatal(err)
		}
	}
}
