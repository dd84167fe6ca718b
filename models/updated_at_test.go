package models_test

import (
	"strings"
	"testing"
	"time"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// dropUpdatedAtTriggers leaves the BeforeUpdate hook as the only thing that
// moves updated_at, on either database.
func dropUpdatedAtTriggers(t *testing.T, s *models.Store) {
	t.Helper()
	for _, table := range []string{"tasks", "users"} {
		stmt := "DROP TRIGGER update_" + table + "_updated_at"
		if s.Dialect() == migrations.Postgres {
			stmt += " ON " + table
		}
		mustExec(t, s, stmt)
	}
}

// TestEveryUpdatePathMovesUpdatedAt goes through each way the code (and a
// future change) updates a row through GORM. Each must move updated_at to
// the time of the update, first with the hook alone (the triggers dropped:
// SQLite's would otherwise stand in for a missing hook), then with the
// triggers in place, where on PostgreSQL the trigger's clock and the hook's
// must agree: the stored time lies between clock readings taken around the
// call. The value the store returns is the one stored.
func TestEveryUpdatePathMovesUpdatedAt(t *testing.T) {
	t.Parallel()
	for _, setup := range []struct {
		name     string
		triggers bool
	}{{"hook alone", false}, {"hook and trigger", true}} {
		t.Run(setup.name, func(t *testing.T) {
			t.Parallel()
			s := dbtest.New(t)
			if !setup.triggers {
				dropUpdatedAtTriggers(t, s)
			}
			ctx := t.Context()
			u := newUser(t, s, "stamps@example.com")
			tk := newTask(t, s, u.ID, "Stamp me")
			db := s.GormWrite().WithContext(ctx)

			// Each returns the updated_at the caller is given, or zero when
			// the path returns nothing.
			paths := []struct {
				name   string
				table  string
				id     int64
				update func() (time.Time, error)
			}{
				{"UpdateTask title", "tasks", tk.ID, func() (time.Time, error) {
					got, err := s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Title: ptr("Renamed")})
					return stampOf(got), err
				}},
				{"UpdateTask status only (the status PATCH)", "tasks", tk.ID, func() (time.Time, error) {
					got, err := s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Status: ptr(models.StatusCompleted)})
					return stampOf(got), err
				}},
				{"SetPasswordHash (Update one column)", "users", u.ID, func() (time.Time, error) {
					return time.Time{}, s.SetPasswordHash(ctx, u.ID, "rehashed", 0)
				}},
				{"Updates(map)", "tasks", tk.ID, func() (time.Time, error) {
					m := &models.Task{ID: tk.ID}
					err := db.Model(m).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Updates(map[string]any{"title": "map"}).Error
					return m.UpdatedAt, err
				}},
				{"Updates(struct)", "tasks", tk.ID, func() (time.Time, error) {
					m := &models.Task{ID: tk.ID}
					err := db.Model(m).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Updates(models.Task{Title: "struct"}).Error
					return m.UpdatedAt, err
				}},
				{"Update(column)", "tasks", tk.ID, func() (time.Time, error) {
					m := &models.Task{ID: tk.ID}
					err := db.Model(m).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Update("status", models.StatusInProgress).Error
					return m.UpdatedAt, err
				}},
				{"Save", "tasks", tk.ID, func() (time.Time, error) {
					m, err := s.TaskByID(ctx, u.ID, tk.ID)
					if err != nil {
						return time.Time{}, err
					}
					m.Title = "saved"
					err = db.Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Save(m).Error
					return m.UpdatedAt, err
				}},
				{"user Updates(map)", "users", u.ID, func() (time.Time, error) {
					m := &models.User{ID: u.ID}
					err := db.Model(m).Updates(map[string]any{"hashed_password": "again"}).Error
					return m.UpdatedAt, err
				}},
			}
			for _, p := range paths {
				_, prev := stamps(t, s, p.table, p.id)
				tick()
				before := time.Now().UTC().Truncate(time.Microsecond)
				returned, err := p.update()
				after := time.Now().UTC()
				if err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				_, stored := stamps(t, s, p.table, p.id)
				if !stored.After(prev) {
					t.Errorf("%s: updated_at stayed at %v", p.name, stored)
				}
				if stored.Before(before) || stored.After(after) {
					t.Errorf("%s: updated_at = %v, not between %v and %v (the update's time)", p.name, stored, before, after)
				}
				if !returned.IsZero() && (returned.Before(before) || returned.After(after)) {
					t.Errorf("%s: the caller was given updated_at %v, not between %v and %v", p.name, returned, before, after)
				}
				if strings.HasPrefix(p.name, "UpdateTask") && !returned.Equal(stored) {
					t.Errorf("%s: UpdateTask returned updated_at %v, stored %v", p.name, returned, stored)
				}
			}
		})
	}
}

func stampOf(tk *models.Task) time.Time {
	if tk == nil {
		return time.Time{}
	}
	return tk.UpdatedAt
}

// TestNewRowsWereNeverUpdated: a row just created has updated_at equal to
// created_at, as the schema's defaults give a raw INSERT, so "updated after
// it was created" means it was edited.
func TestNewRowsWereNeverUpdated(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "fresh@example.com")
	tk := newTask(t, s, u.ID, "Fresh")
	for _, row := range []struct {
		table            string
		id               int64
		created, updated time.Time
	}{{"users", u.ID, u.CreatedAt, u.UpdatedAt}, {"tasks", tk.ID, tk.CreatedAt, tk.UpdatedAt}} {
		if !row.updated.Equal(row.created) {
			t.Errorf("new %s row: returned updated_at %v, created_at %v", row.table, row.updated, row.created)
		}
		created, updated := stamps(t, s, row.table, row.id)
		if !updated.Equal(created) {
			t.Errorf("new %s row: stored updated_at %v, created_at %v", row.table, updated, created)
		}
	}
}
