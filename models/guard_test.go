package models_test

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestOwnerGuard checks the machine-enforced half of the spec's isolation
// rule: through the store's GORM handles, a statement on tasks without a
// top-level user_id = ? never reaches the database.
func TestOwnerGuard(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	a := newUser(t, s, "a@example.com")
	b := newUser(t, s, "b@example.com")
	ta := newTask(t, s, a.ID, "A's task")
	newTask(t, s, b.ID, "B's task")
	read := s.GormRead().WithContext(t.Context())
	write := s.GormWrite().WithContext(t.Context())
	var tasks []models.Task
	var rows []map[string]any
	var n int64

	refused := []struct {
		name string
		run  func() *gorm.DB
	}{
		{"find all", func() *gorm.DB { return read.Find(&tasks) }},
		{"first by primary key", func() *gorm.DB { return read.First(&models.Task{}, ta.ID) }},
		{"where id only", func() *gorm.DB { return read.Where("id = ?", ta.ID).Find(&tasks) }},
		{"OR inside one condition", func() *gorm.DB { return read.Where("user_id = ? OR id = ?", b.ID, ta.ID).Find(&tasks) }},
		{"user_id OR-chained with id", func() *gorm.DB { return read.Where("user_id = ?", b.ID).Or("id = ?", ta.ID).Find(&tasks) }},
		{"id OR-chained with user_id", func() *gorm.DB { return read.Where("id = ?", ta.ID).Or("user_id = ?", b.ID).Find(&tasks) }},
		{"user_id only in an Or group", func() *gorm.DB {
			return read.Where(read.Where("user_id = ?", b.ID).Or("id = ?", ta.ID)).Find(&tasks)
		}},
		{"NOT user_id", func() *gorm.DB { return read.Not("user_id = ?", b.ID).Find(&tasks) }},
		{"user_id without a value", func() *gorm.DB { return read.Where("user_id IS NOT NULL").Find(&tasks) }},
		{"user_id compared to itself", func() *gorm.DB { return read.Where("user_id = user_id").Find(&tasks) }},
		{"count", func() *gorm.DB { return read.Model(&models.Task{}).Count(&n) }},
		{"pluck", func() *gorm.DB { var titles []string; return read.Model(&models.Task{}).Pluck("title", &titles) }},
		{"rows", func() *gorm.DB {
			r, err := read.Model(&models.Task{}).Rows()
			if r != nil {
				r.Close()
			}
			return &gorm.DB{Error: err}
		}},
		{"table by name", func() *gorm.DB { return read.Table("tasks").Find(&rows) }},
		{"table with AS alias", func() *gorm.DB { return read.Table("tasks AS t").Find(&rows) }},
		{"table with bare alias", func() *gorm.DB { return read.Table("tasks t").Find(&rows) }},
		{"table schema-qualified", func() *gorm.DB { return read.Table("main.tasks").Find(&rows) }},
		{"joined from users", func() *gorm.DB {
			return read.Model(&models.User{}).Select("tasks.*").Joins("JOIN tasks ON tasks.user_id = users.id").Find(&rows)
		}},
		{"raw SELECT", func() *gorm.DB { return read.Raw("SELECT * FROM tasks").Scan(&tasks) }},
		{"raw SELECT with user_id under OR", func() *gorm.DB {
			return read.Raw("SELECT * FROM tasks WHERE id = ? OR user_id = ?", ta.ID, b.ID).Scan(&tasks)
		}},
		{"raw SELECT by id, upper case", func() *gorm.DB { return read.Raw("select * from TASKS where id = ?", ta.ID).Scan(&tasks) }},
		{"raw DELETE", func() *gorm.DB { return write.Exec("DELETE FROM tasks") }},
		{"raw UPDATE", func() *gorm.DB { return write.Exec("UPDATE tasks SET title = 'hijacked'") }},
		{"delete by primary key", func() *gorm.DB { return write.Delete(&models.Task{}, ta.ID) }},
		{"delete where id", func() *gorm.DB { return write.Where("id = ?", ta.ID).Delete(&models.Task{}) }},
		{"update by model id", func() *gorm.DB { return write.Model(&models.Task{ID: ta.ID}).Update("title", "hijacked") }},
		{"updates by model id", func() *gorm.DB {
			return write.Model(&models.Task{ID: ta.ID}).Updates(map[string]any{"user_id": b.ID})
		}},
		{"save", func() *gorm.DB { cp := *ta; cp.Title = "hijacked"; return write.Save(&cp) }},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			if err := tt.run().Error; !errors.Is(err, models.ErrUnscopedTaskQuery) {
				t.Errorf("err = %v, want the owner guard's refusal", err)
			}
		})
	}
	// Nothing refused reached the database.
	got, err := s.TaskByID(t.Context(), a.ID, ta.ID)
	if err != nil || got.Title != ta.Title || got.UserID != a.ID || !got.UpdatedAt.Equal(ta.UpdatedAt) {
		t.Errorf("A's task after the refused writes: %+v, %v", got, err)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 2 {
		t.Errorf("%d tasks, want 2", n)
	}

	allowed := []struct {
		name string
		run  func() *gorm.DB
		want int // rows found, -1 to skip
	}{
		{"where user_id", func() *gorm.DB { return read.Where("user_id = ?", a.ID).Where("deleted_at IS NULL").Find(&tasks) }, 1},
		{"where tasks.user_id", func() *gorm.DB {
			return read.Where("tasks.user_id = ?", a.ID).Where("tasks.deleted_at IS NULL").Find(&tasks)
		}, 1},
		{"where quoted user_id", func() *gorm.DB {
			return read.Where(`"tasks"."user_id" = ?`, a.ID).Where(`"tasks"."deleted_at" IS NULL`).Find(&tasks)
		}, 1},
		{"struct condition", func() *gorm.DB {
			return read.Where(&models.Task{UserID: a.ID}).Where("deleted_at IS NULL").Find(&tasks)
		}, 1},
		{"OR nested under user_id", func() *gorm.DB {
			return read.Where("user_id = ?", a.ID).Where("deleted_at IS NULL").Where("id = ? OR title = ?", ta.ID+1, "B's task").Find(&tasks)
		}, 0},
		{"the trash's side", func() *gorm.DB { return read.Where("user_id = ?", a.ID).Where("deleted_at IS NOT NULL").Find(&tasks) }, 0},
		{"count by owner", func() *gorm.DB {
			return read.Model(&models.Task{}).Where("user_id = ?", a.ID).Where("deleted_at IS NULL").Count(&n)
		}, -1},
		{"raw with user_id", func() *gorm.DB { return read.Raw("SELECT * FROM tasks WHERE user_id = ?", a.ID).Scan(&tasks) }, 1},
		{"users are not guarded", func() *gorm.DB { var us []models.User; return read.Find(&us) }, -1},
	}
	for _, tt := range allowed {
		t.Run("allows "+tt.name, func(t *testing.T) {
			tasks = nil
			if err := tt.run().Error; err != nil {
				t.Fatal(err)
			}
			if tt.want >= 0 && len(tasks) != tt.want {
				t.Errorf("found %d tasks, want %d", len(tasks), tt.want)
			}
			for _, tk := range tasks {
				if tk.UserID != a.ID {
					t.Errorf("found B's task %d", tk.ID)
				}
			}
		})
	}
	if n != 1 {
		t.Errorf("count by owner = %d, want 1", n)
	}

	// A statement that names the owner but not the trash is refused too:
	// every statement built on tasks says which side of the trash it is on
	// (liveTasks or trashedTasks), so one that forgets cannot show trashed
	// tasks.
	for name, run := range map[string]func() *gorm.DB{
		"find by owner":   func() *gorm.DB { return read.Where("user_id = ?", a.ID).Find(&tasks) },
		"count by owner":  func() *gorm.DB { return read.Model(&models.Task{}).Where("user_id = ?", a.ID).Count(&n) },
		"update by owner": func() *gorm.DB { return write.Model(&models.Task{}).Where("user_id = ?", a.ID).Update("title", "x") },
		"delete by owner": func() *gorm.DB { return write.Where("user_id = ?", a.ID).Delete(&models.Task{}) },
		"deleted_at under an OR": func() *gorm.DB {
			return read.Where("user_id = ?", a.ID).Where("deleted_at IS NULL OR id > 0").Find(&tasks)
		},
		"deleted_at without test": func() *gorm.DB { return read.Where("user_id = ?", a.ID).Where("deleted_at").Find(&tasks) },
	} {
		t.Run("refuses "+name+" without the trash", func(t *testing.T) {
			if err := run().Error; !errors.Is(err, models.ErrTrashUnstated) {
				t.Errorf("err = %v, want the guard's refusal", err)
			}
		})
	}
	if got, err := s.TaskByID(t.Context(), a.ID, ta.ID); err != nil || got.Title != ta.Title {
		t.Errorf("A's task after the refused statements: %+v, %v", got, err)
	}
}
