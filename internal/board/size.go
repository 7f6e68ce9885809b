package board

// What a held board takes in memory, for the cache's budget: an estimate
// from the shapes of its entries, erring high (TestSizeOfDoesNotUndercount
// measures it against the heap).

import (
	"reflect"
	"unsafe"

	"github.com/haocha/haocha/internal/index"
)

// floatFields is the number of *float64 fields of an entry: each non-nil
// one is an allocation of its own.
var floatFields = func() int {
	n := 0
	for _, t := range []reflect.Type{reflect.TypeFor[index.Result](), reflect.TypeFor[index.Indicators]()} {
		for i := range t.NumField() {
			if t.Field(i).Type == reflect.TypeFor[*float64]() {
				n++
			}
		}
	}
	return n
}()

// sizeOf estimates the heap bytes of b and its encoded answer, an eighth
// over the shapes' sum for what the estimate does not see (the
// allocator's size classes).
func sizeOf(b Board, enc encoded) int64 {
	n := int64(unsafe.Sizeof(b)) + int64(cap(enc.members)) + 8*int64(cap(enc.ends))
	for _, list := range [][]index.Entry{b.Ranked, b.Insufficient} {
		n += int64(cap(list)-len(list)) * int64(unsafe.Sizeof(index.Entry{}))
		for _, e := range list {
			n += entrySize(e)
		}
	}
	return n + n/8
}

func entrySize(e index.Entry) int64 {
	ind := e.Indicators
	n := int64(unsafe.Sizeof(e)) + int64(len(e.Code)+len(e.Name)) + 8*int64(floatFields)
	n += mapSize(len(ind.Dimensions), 16+8) + mapSize(len(ind.Stars), 16+8) + mapSize(len(ind.Tags), 16+8)
	n += mapSize(len(ind.Participation), 16+int64(unsafe.Sizeof(index.Participation{}))+8)
	for k := range ind.Dimensions {
		n += int64(len(k))
	}
	for k := range ind.Tags {
		n += int64(len(k))
	}
	for k := range ind.Participation {
		n += int64(len(k))
	}
	return n
}

// mapSize bounds the bytes of a map of n slots of slot bytes: its header
// and groups of 8 slots with a control word, filled at most to 7/8, with
// room for the allocator's rounding up.
func mapSize(n int, slot int64) int64 {
	groups := int64(1 + n*8/7/8)
	return 64 + groups*(8+8*slot)*5/4
}
