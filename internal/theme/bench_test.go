package theme

import (
	"strings"
	"testing"
)

// BenchmarkTraining: how long the models take to train on first use.
func BenchmarkTraining(b *testing.B) {
	for b.Loop() {
		tax, err := Parse(strings.NewReader(shipped))
		if err != nil {
			b.Fatal(err)
		}
		tax.models()
	}
}
