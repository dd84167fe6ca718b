package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"taskapp/models"
	"taskapp/models/bulkload"
)

// vuser is one signed-in person: an account, its own cookie jar and
// connection, and the ids of the tasks it knows about.
type vuser struct {
	email   string
	client  *http.Client
	csrf    string
	tasks   []int64 // seeded or created, not deleted
	created []int64 // created during the run: the ones delete removes
}

// seed fills the database: the background volume first, then one account
// per client with exactly perUser tasks.
func seed(ctx context.Context, dbURL string, o options) ([]*vuser, error) {
	store, err := models.Open(ctx, models.Config{URL: dbURL})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	if o.bgUsers > 0 {
		if err := bulkload.Load(ctx, store, bulkload.Options{Users: o.bgUsers, Tasks: o.bgTasks, Seed: 1}); err != nil {
			return nil, err
		}
	}
	hash, err := models.HashPassword(models.SamplePassword)
	if err != nil {
		return nil, err
	}
	users := make([]*vuser, o.users)
	for i := range users {
		u, err := store.CreateUser(ctx, fmt.Sprintf("load%d@example.com", i+1), hash)
		if err != nil {
			return nil, err
		}
		users[i] = &vuser{email: u.Email}
	}
	// Tasks through the store, a few users at a time.
	var wg sync.WaitGroup
	errc := make(chan error, len(users))
	sem := make(chan struct{}, 4)
	for i, vu := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := store.UserByEmail(ctx, vu.email)
			if err != nil {
				errc <- err
				return
			}
			for j := range o.perUser {
				in := models.TaskInput{
					Title:  fmt.Sprintf("%s #%d", bulkload.Title(i+j), j+1),
					Status: models.TaskStatuses()[j%3],
				}
				if j%2 == 0 {
					in.Description = "Details to remember for task " + strconv.Itoa(j+1) + "."
				}
				t, err := store.CreateTask(ctx, u.ID, in)
				if err != nil {
					errc <- err
					return
				}
				vu.tasks = append(vu.tasks, t.ID)
			}
		})
	}
	wg.Wait()
	close(errc)
	return users, <-errc
}
