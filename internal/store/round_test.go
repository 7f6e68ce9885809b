package store

import (
	"slices"
	"testing"
)

// Row lists are cut into few shapes, so prepared statements are reused
// across groups of any size.
func TestShapes(t *testing.T) {
	for _, tt := range []struct {
		n, max int
		want   []int
	}{
		{0, 128, nil},
		{1, 128, []int{1}},
		{100, 128, []int{64, 32, 4}},
		{128, 128, []int{128}},
		{300, 128, []int{128, 128, 32, 8, 4}},
	} {
		if got := shapes(tt.n, tt.max); !slices.Equal(got, tt.want) {
			t.Errorf("shapes(%d, %d) = %v, want %v", tt.n, tt.max, got, tt.want)
		}
	}
}

// IN lists are padded to a power of two with their last value, which
// matches nothing more.
func TestPadded(t *testing.T) {
	for _, tt := range []struct {
		in, want []any
	}{
		{nil, nil},
		{[]any{"a"}, []any{"a"}},
		{[]any{"a", "b", "c"}, []any{"a", "b", "c", "c"}},
		{[]any{"a", "b", "c", "d", "e"}, []any{"a", "b", "c", "d", "e", "e", "e", "e"}},
	} {
		if got := padded(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("padded(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
