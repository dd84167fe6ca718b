package views

import (
	"net/url"
	"strconv"

	"taskapp/models"
)

// ListQuery is what a task list URL asks for: a status filter or a due
// view, a search, an order and a page. Every list link and pushed URL is built from one with URL, so a
// full page render of any of them shows the same state.
type ListQuery struct {
	Status models.TaskStatus // "" for every status
	Due    models.DueView    // "" for none; set, Status is ""
	Q      string            // search text, "" for none
	Sort   models.TaskSort   // "" for the default, newest first
	Page   int               // 1-based
}

// URL is q's canonical address: defaults are left out ("/tasks" is the
// first page of every task, unsearched).
func (q ListQuery) URL() string { return q.address(PathTasks) }

// CountsURL is where the tabs fetch fresh counts for q after a delete.
func (q ListQuery) CountsURL() string { return q.address(PathTaskCounts) }

func (q ListQuery) address(path string) string {
	v := url.Values{}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	if q.Due != "" {
		v.Set("view", string(q.Due))
	}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Sort != "" && q.Sort != models.SortNewest {
		v.Set("sort", string(q.Sort))
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// WithStatus is q filtered by s instead, from its first page.
func (q ListQuery) WithStatus(s models.TaskStatus) ListQuery {
	q.Status, q.Due, q.Page = s, "", 1
	return q
}

// WithDue is q showing the due view v instead, from its first page.
func (q ListQuery) WithDue(v models.DueView) ListQuery {
	q.Status, q.Due, q.Page = "", v, 1
	return q
}

// WithSort is q in order s, from its first page.
func (q ListQuery) WithSort(s models.TaskSort) ListQuery {
	q.Sort, q.Page = s, 1
	return q
}

// WithPage is q on page p.
func (q ListQuery) WithPage(p int) ListQuery {
	q.Page = p
	return q
}
