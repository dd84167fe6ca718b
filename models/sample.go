package models

import (
	"context"
	"errors"
	"time"
)

// SamplePassword is the password of the sample accounts SeedSample creates
// and of every account the bulk loader (models/bulkload) generates.
const SamplePassword = "password123"

// SeedSample inserts the schema spec's sample data: two accounts and their
// three tasks, with the spec's timestamps. Running it again changes nothing.
//
// It stays in models, unlike the bulk loader: these are the spec's own
// rows, written through the store's ordinary write path (GORM hooks, owner
// guard, error classification) with the spec's fixed timestamps, which
// only the store can set.
func (s *Store) SeedSample(ctx context.Context) error {
	hash, err := HashPassword(SamplePassword)
	if err != nil {
		return err
	}
	at := func(hhmm string) time.Time {
		t, _ := time.Parse("2006-01-02 15:04", "2025-12-30 "+hhmm)
		return t
	}
	desc := func(s string) *string { return &s }
	users := []struct {
		email string
		tasks []Task
	}{
		{"user@example.com", []Task{
			{Title: "Buy groceries", Description: desc("Milk, eggs, bread"), Status: StatusPending, CreatedAt: at("10:00"), UpdatedAt: at("10:00")},
			{Title: "Write report", Status: StatusInProgress, CreatedAt: at("11:00"), UpdatedAt: at("11:30")},
		}},
		{"user2@example.com", []Task{
			{Title: "Submit assignment", Description: desc("Due Friday"), Status: StatusCompleted, CreatedAt: at("09:00"), UpdatedAt: at("14:00")},
		}},
	}
	db, done := s.writer(ctx, 0)
	defer done()
	for _, su := range users {
		if _, err := s.UserByEmail(ctx, su.email); err == nil {
			continue // already seeded
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		u := &User{Email: su.email, HashedPassword: hash, CreatedAt: at("10:00"), UpdatedAt: at("10:00")}
		if err := db.Create(u).Error; err != nil {
			return classify("models: seed user", err)
		}
		for i := range su.tasks {
			su.tasks[i].UserID = u.ID
		}
		if err := db.Create(&su.tasks).Error; err != nil {
			return classify("models: seed tasks", err)
		}
	}
	return nil
}
