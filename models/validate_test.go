package models_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func fieldNames(fe models.FieldErrors) []string {
	return slices.Sorted(maps.Keys(fe))
}

func TestTaskInputValidate(t *testing.T) {
	t.Parallel()
	emoji := "😀" // one character, four bytes
	tests := []struct {
		name string
		in   models.TaskInput
		bad  []string // fields with a message, sorted
	}{
		{"valid", models.TaskInput{Title: "Buy milk", Description: "2 litres", Status: models.StatusCompleted}, nil},
		{"status defaults to pending", models.TaskInput{Title: "t"}, nil},
		{"empty title", models.TaskInput{Title: ""}, []string{"title"}},
		{"whitespace title", models.TaskInput{Title: " \t\n "}, []string{"title"}},
		{"200 emoji title", models.TaskInput{Title: strings.Repeat(emoji, 200)}, nil},
		{"200 characters padded with spaces", models.TaskInput{Title: "  " + strings.Repeat("a", 200) + "  "}, nil},
		{"201 characters", models.TaskInput{Title: strings.Repeat("a", 201)}, []string{"title"}},
		{"201 emoji", models.TaskInput{Title: strings.Repeat(emoji, 201)}, []string{"title"}},
		{"no description", models.TaskInput{Title: "t", Description: ""}, nil},
		{"2000 character description", models.TaskInput{Title: "t", Description: strings.Repeat("é", 2000)}, nil},
		{"2001 character description", models.TaskInput{Title: "t", Description: strings.Repeat("a", 2001)}, []string{"description"}},
		{"bad status", models.TaskInput{Title: "t", Status: "done"}, []string{"status"}},
		{"status in another case", models.TaskInput{Title: "t", Status: "Pending"}, []string{"status"}},
		{"NUL in title", models.TaskInput{Title: "a\x00b"}, []string{"title"}},
		{"invalid UTF-8 in title", models.TaskInput{Title: "a\xffb"}, []string{"title"}},
		{"NUL in description", models.TaskInput{Title: "t", Description: "a\x00b"}, []string{"description"}},
		{"invalid UTF-8 in description", models.TaskInput{Title: "t", Description: "\xc3\x28"}, []string{"description"}},
		{"everything wrong", models.TaskInput{Title: " ", Description: "\xff", Status: "nope"}, []string{"description", "status", "title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Normalize()
			fe := in.Validate()
			if got := fieldNames(fe); !slices.Equal(got, tt.bad) {
				t.Errorf("bad fields = %v (%v), want %v", got, fe, tt.bad)
			}
			for field, msg := range fe {
				if msg == "" {
					t.Errorf("%s: empty message", field)
				}
			}
		})
	}

	in := models.TaskInput{Title: "  Trim me \n", Description: "\t keep inner  spaces \n"}
	in.Normalize()
	if in.Title != "Trim me" || in.Description != "keep inner  spaces" || in.Status != models.StatusPending {
		t.Errorf("Normalize = %+v", in)
	}
}

func TestValidateEmail(t *testing.T) {
	t.Parallel()
	local := strings.Repeat("a", 243) // + "@example.com" = 255
	tests := []struct {
		email string
		ok    bool
	}{
		{"a@b.com", true},
		{"first.last+tag@sub.example.org", true},
		{local + "@example.com", true},
		{"a" + local + "@example.com", false}, // 256
		{"", false},
		{"not-an-email", false},
		{"@example.com", false},
		{"a@", false},
		{"a@localhost", false}, // no dot in the domain
		{"Name <a@b.com>", false},
		{"a b@c.com", false},
		{"a@b.com\x00", false},
		{"a\x00b@c.com", false},
		{"\xff@b.com", false},
	}
	for _, tt := range tests {
		msg := models.ValidateEmail(tt.email)
		if (msg == "") != tt.ok {
			t.Errorf("ValidateEmail(%q) = %q, want ok=%v", tt.email, msg, tt.ok)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"empty", "", false},
		{"7 characters", "1234567", false},
		{"8 characters", "12345678", true},
		{"7 emoji are 28 bytes but 7 characters", strings.Repeat("😀", 7), false},
		{"8 emoji", strings.Repeat("😀", 8), true},
		{"spaces count and are kept", "  abcd  ", true},
		{"256 characters", strings.Repeat("p", 256), true},
		{"257 characters", strings.Repeat("p", 257), false},
		{"NUL byte", "password\x00", false},
		{"invalid UTF-8", "password\xff", false},
	}
	for _, tt := range tests {
		if msg := models.ValidatePassword(tt.password); (msg == "") != tt.ok {
			t.Errorf("%s: ValidatePassword = %q, want ok=%v", tt.name, msg, tt.ok)
		}
	}
}

// TestUnstorableTextIsAFieldError sends what the database cannot hold
// through the store: it must come back as a field error, never as a driver
// error (which would be a 500), and nothing may be written.
func TestUnstorableTextIsAFieldError(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "owner@example.com")
	tk := newTask(t, s, u.ID, "Keep")

	assertField := func(t *testing.T, err error, field string) {
		t.Helper()
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v (%T), want a *ValidationError", err, err)
		}
		if ve.Fields[field] == "" || len(ve.Fields) != 1 {
			t.Errorf("fields = %v, want only %s", ve.Fields, field)
		}
		if !errors.Is(err, models.ErrInvalid) {
			t.Errorf("err = %v, want it to wrap ErrInvalid", err)
		}
	}
	for _, bad := range []string{"nul\x00byte", "bad\xffbyte", "\xc3\x28", "\x00"} {
		t.Run(strings.ToValidUTF8(bad, "?"), func(t *testing.T) {
			_, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: bad})
			assertField(t, err, "title")
			_, err = s.CreateTask(ctx, u.ID, models.TaskInput{Title: "ok", Description: bad})
			assertField(t, err, "description")
			_, err = s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Title: ptr(bad)})
			assertField(t, err, "title")
			_, err = s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Description: ptr(bad)})
			assertField(t, err, "description")
			_, err = s.CreateUser(ctx, "x"+bad+"@example.com", "h")
			assertField(t, err, "email")
			// A search box drops what cannot be stored instead of failing.
			if _, err := s.ListTasks(ctx, u.ID, models.ListOptions{Query: bad}); err != nil {
				t.Errorf("ListTasks with query %q: %v", bad, err)
			}
		})
	}
	for _, patch := range []models.TaskPatch{{Title: ptr("  ")}, {Status: ptr(models.TaskStatus("done"))}, {Description: ptr(strings.Repeat("d", 2001))}} {
		if _, err := s.UpdateTask(ctx, u.ID, tk.ID, patch); !errors.Is(err, models.ErrInvalid) {
			t.Errorf("UpdateTask(%+v) = %v, want ErrInvalid", patch, err)
		}
	}
	if _, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "t", Status: "done"}); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("CreateTask with a bad status = %v, want ErrInvalid", err)
	}

	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 1 {
		t.Errorf("%d tasks, want 1", n)
	}
	if n := count(t, s, "SELECT count(*) FROM users"); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	if got, _ := s.TaskByID(ctx, u.ID, tk.ID); got.Title != "Keep" || got.Description != nil {
		t.Errorf("refused updates changed the task: %+v", got)
	}
}

// TestLimitsRoundTrip stores values at every limit, in characters that
// take several bytes, and reads them back unchanged.
func TestLimitsRoundTrip(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "limits@example.com")
	in := models.TaskInput{Title: strings.Repeat("😀", 200), Description: strings.Repeat("日本", 1000)}
	tk, err := s.CreateTask(ctx, u.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.TaskByID(ctx, u.ID, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != in.Title || got.DescriptionText() != in.Description {
		t.Error("text at the limits did not survive the round trip")
	}
	email := strings.Repeat("é", 243) + "@example.com" // 255 characters, 498 bytes
	if _, err := s.CreateUser(ctx, email, "h"); err != nil {
		t.Errorf("255-character email: %v", err)
	}
}

func TestEmailNormalization(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u, err := s.CreateUser(ctx, " A@B.COM ", "h")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "a@b.com" {
		t.Errorf("returned email %q, want a@b.com", u.Email)
	}
	stored := rows(t, s, "SELECT email FROM users WHERE id = ?", u.ID)
	if len(stored) != 1 || stored[0][0] != "a@b.com" {
		t.Errorf("stored email %v, want a@b.com", stored)
	}
	for _, lookup := range []string{"a@b.com", "A@B.COM", "a@B.cOm", "  a@b.com\t"} {
		got, err := s.UserByEmail(ctx, lookup)
		if err != nil || got.ID != u.ID {
			t.Errorf("UserByEmail(%q) = %+v, %v", lookup, got, err)
		}
	}
	// Unknown, and unstorable (a login form can send anything): not found
	// on both databases, never a driver error.
	for _, unknown := range []string{"b@b.com", "a\x00@b.com", "a@b.com\x00", "\xff@b.com", "A\xc3\x28@B.COM"} {
		if _, err := s.UserByEmail(ctx, unknown); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("UserByEmail(%q) = %v, want ErrNotFound", unknown, err)
		}
	}
	for _, bad := range []string{"", "   ", "no-at-sign", "Name <c@d.com>"} {
		_, err := s.CreateUser(ctx, bad, "h")
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields["email"] == "" {
			t.Errorf("CreateUser(%q) = %v, want an email field error", bad, err)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		valid    bool // ValidateEmail accepts the result
	}{
		{" A@B.COM ", "a@b.com", true},
		{"\tMixed@Case.Org\n", "mixed@case.org", true},
		{"ÉLODIE@EXAMPLE.FR", "élodie@example.fr", true},
		// Invalid UTF-8 is kept as sent, so that ValidateEmail refuses it
		// instead of seeing U+FFFD in its place.
		{" X\xffY@B.COM ", "X\xffY@B.COM", false},
	}
	for _, tt := range tests {
		got := models.NormalizeEmail(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if msg := models.ValidateEmail(got); (msg == "") != tt.valid {
			t.Errorf("ValidateEmail(%q) = %q, want valid=%v", got, msg, tt.valid)
		}
	}
}
