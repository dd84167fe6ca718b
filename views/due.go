package views

import "taskapp/models"

// DueLabel is a due date as a row shows it, relative to the user's today:
// "Today", "Tomorrow", "Overdue · 3 days" (for a task not yet completed),
// or the date itself.
func DueLabel(due, today models.Date, completed bool) string {
	switch days := due.DaysSince(today); {
	case days == 0:
		return "Today"
	case days == 1:
		return "Tomorrow"
	case days < 0 && !completed:
		return "Overdue · " + plural(-days, "day")
	}
	return DayName(due, today)
}

// DayName is a date written out: "Fri 4 Dec", with the year when it is
// not today's.
func DayName(d, today models.Date) string {
	if d.Year() == today.Year() {
		return d.Time().Format("Mon 2 Jan")
	}
	return d.Time().Format("Mon 2 Jan 2006")
}

// dueClass is the class of a due label: overdue ones stand out.
func dueClass(due, today models.Date, completed bool) string {
	if !completed && due.Before(today) {
		return "due overdue"
	}
	return "due"
}

// dueValue is a form's due date field value from the stored date.
func dueValue(d *models.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// dayGroup is the tasks due on one day.
type dayGroup struct {
	Day   models.Date
	Tasks []models.Task
}

// dayGroups splits tasks, in due date order, by day. Tasks with no date
// (which the due views never hold) are skipped.
func dayGroups(tasks []models.Task) []dayGroup {
	var out []dayGroup
	for i := 0; i < len(tasks); {
		if tasks[i].DueDate == nil {
			i++
			continue
		}
		day, j := *tasks[i].DueDate, i+1
		for j < len(tasks) && tasks[j].DueDate != nil && *tasks[j].DueDate == day {
			j++
		}
		out = append(out, dayGroup{Day: day, Tasks: tasks[i:j]})
		i = j
	}
	return out
}

// dayNameSuffix follows "Tomorrow" with its date in a day heading; other
// days are already named by date.
func dayNameSuffix(d, today models.Date) string {
	if d.DaysSince(today) == 1 {
		return " · " + DayName(d, today)
	}
	return ""
}
