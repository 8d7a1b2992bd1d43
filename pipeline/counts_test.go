package pipeline

import (
	"github.com/vocmine/vocmine/pipeline/partition"
	"reflect"
	"testing"
)

// TestCountsAdd: Add sums every field of Counts, so a field added to Counts
// and forgotten in Add fails here (both engines total their counts with it).
func TestCountsAdd(t *testing.T) {
	var a, b partition.Counts
	va, vb := reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem()
	for i := range va.NumField() {
		va.Field(i).SetInt(int64(i + 1))
		vb.Field(i).SetInt(int64(10 * (i + 1)))
	}
	a.Add(b)
	for i := range va.NumField() {
		if got, want := va.Field(i).Int(), int64(11*(i+1)); got != want {
			t.Errorf("%s: got %d, want %d", va.Type().Field(i).Name, got, want)
		}
	}
}
