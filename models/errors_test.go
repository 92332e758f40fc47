package models

import (
	"testing"
)

func TestValidationErrorFirstIsInFieldOrder(t *testing.T) {
	t.Parallel()
	for i := 0; i < 50; i++ {
		ve := (&ValidationError{}).Add("display_name", "a", nil).Add("alias", "b", nil).Add("password", "c", nil).Add("alias", "d", nil)
		if fe := ve.First(); fe == nil || fe.Key != "a" {
			t.Fatalf("First() = %+v, want the display name's", fe)
		}
	}
	var none *ValidationError
	if none.First() != nil || (&ValidationError{}).First() != nil {
		t.Fatal("no violation, no first")
	}
	built := &ValidationError{Fields: map[string]FieldError{"b": {Key: "b"}, "a": {Key: "a"}}}
	if built.First().Key != "a" {
		t.Fatal("a ValidationError built without Add still has a stable first")
	}
}
