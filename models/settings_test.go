package models_test

import (
	"testing"

	"taskapp/models/dbtest"
)

// TestKeyboardShortcutsSetting: on for a new account, and off or on again
// as the account page sets it.
func TestKeyboardShortcutsSetting(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "keys@example.com")
	other := newUser(t, s, "other@example.com")
	check := func(want bool) {
		t.Helper()
		got, err := s.UserByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.KeyboardShortcuts != want {
			t.Errorf("keyboard shortcuts %v, want %v", got.KeyboardShortcuts, want)
		}
	}
	check(true) // the column's default
	for _, want := range []bool{false, true} {
		if err := s.SetKeyboardShortcuts(t.Context(), u.ID, want); err != nil {
			t.Fatal(err)
		}
		check(want)
	}
	if err := s.SetKeyboardShortcuts(t.Context(), u.ID, false); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.UserByID(t.Context(), other.ID); !o.KeyboardShortcuts {
		t.Error("turning one account's shortcuts off turned another's off")
	}
}
