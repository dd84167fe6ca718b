package models_test

import (
	"context"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// received waits for an event on sub, failing the test if none comes
// within a generous bound (a hang guard, not a speed assertion).
func received(t *testing.T, sub *models.Subscription, what string) {
	t.Helper()
	select {
	case <-sub.C:
	case <-time.After(20 * time.Second):
		t.Fatalf("no event after %s", what)
	}
}

// quiet fails if sub has an event waiting.
func quiet(t *testing.T, sub *models.Subscription, what string) {
	t.Helper()
	select {
	case <-sub.C:
		t.Fatalf("an event reached the wrong user after %s", what)
	default:
	}
}

// TestTaskEventsReachOnlyTheOwner: every task write tells the owner's
// subscribers, and nobody else's. Bob's event is published after Alice's
// and events are delivered in order, so once Bob has his, an event meant
// for Alice would already be waiting on Bob's or Carol's subscription.
func TestTaskEventsReachOnlyTheOwner(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	alice := newUser(t, s, "alice@example.com")
	bob := newUser(t, s, "bob@example.com")
	aliceSub := subscribe(t, s, alice.ID)
	bobSub := subscribe(t, s, bob.ID)

	task, err := s.CreateTask(ctx, alice.ID, models.TaskInput{Title: "Alice's"})
	if err != nil {
		t.Fatal(err)
	}
	received(t, aliceSub, "create")
	done := models.StatusCompleted
	if _, err := s.UpdateTask(ctx, alice.ID, task.ID, models.TaskPatch{Status: &done}); err != nil {
		t.Fatal(err)
	}
	received(t, aliceSub, "update")
	if _, err := s.DeleteTask(ctx, alice.ID, task.ID); err != nil {
		t.Fatal(err)
	}
	received(t, aliceSub, "delete")

	newTask(t, s, bob.ID, "Bob's")
	received(t, bobSub, "Bob's create")
	quiet(t, aliceSub, "Bob's create")
	newTask(t, s, alice.ID, "Alice's again")
	received(t, aliceSub, "Alice's second create")
	newTask(t, s, bob.ID, "Bob's second")
	received(t, bobSub, "Bob's second create")
	quiet(t, bobSub, "Alice's create")
}

// TestBulkChangesAndImportsAreEvents: the writes that change many tasks
// at once, and those that bring tasks back from the trash, tell the owner
// too. (On SQLite events are delivered as they are
// published, so each wait below is for that write's own event.)
func TestBulkChangesAndImportsAreEvents(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	ann := newUser(t, s, "ann@example.com")
	ids := []int64{newTask(t, s, ann.ID, "Bulk one").ID, newTask(t, s, ann.ID, "Bulk two").ID}
	sub := subscribe(t, s, ann.ID)
	done := models.StatusCompleted
	if _, err := s.ApplyBulk(ctx, ann.ID, ids, models.BulkChange{Status: &done}); err != nil {
		t.Fatal(err)
	}
	received(t, sub, "a bulk change")
	if _, err := s.ImportTasks(ctx, ann.ID, []models.TaskInput{{Title: "Imported"}}); err != nil {
		t.Fatal(err)
	}
	received(t, sub, "an import")

	// Tasks coming back from the trash are back in the lists.
	at, err := s.DeleteTask(ctx, ann.ID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	received(t, sub, "a delete")
	if _, err := s.UndoDeletion(ctx, ann.ID, at); err != nil {
		t.Fatal(err)
	}
	received(t, sub, "an undo")
	if _, err := s.DeleteTask(ctx, ann.ID, ids[1]); err != nil {
		t.Fatal(err)
	}
	received(t, sub, "another delete")
	if _, err := s.RestoreTasks(ctx, ann.ID, []int64{ids[1]}); err != nil {
		t.Fatal(err)
	}
	received(t, sub, "a restore from the trash")
}

// TestTaskEventsCrossInstances: on PostgreSQL a write through one store
// (instance) reaches a subscriber of another on the same database.
func TestTaskEventsCrossInstances(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("instances share events through PostgreSQL only; set " + dbtest.EnvURL)
	}
	url := dbtest.URL(t)
	a, c := openAt(t, url), openAt(t, url)
	if _, err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	alice := newUser(t, a, "alice@example.com")
	sub := subscribe(t, c, alice.ID)
	newTask(t, a, alice.ID, "Made on A")
	received(t, sub, "a create on another instance")
}

// TestTaskEventsSkipTheirOwnPage: a write made for an open page (its
// event origin) reaches the owner's other pages but not that page, which
// has already shown it. Delivery is in order, one notification at a time,
// so once the other page has the event, a copy for the origin page would
// already be waiting.
func TestTaskEventsSkipTheirOwnPage(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	ann := newUser(t, s, "ann@example.com")
	here := subscribe(t, s, ann.ID, "page-a")
	there := subscribe(t, s, ann.ID, "page-b")
	if _, err := s.CreateTask(models.WithEventOrigin(ctx, "page-a"), ann.ID, models.TaskInput{Title: "Made on page a"}); err != nil {
		t.Fatal(err)
	}
	received(t, there, "a change made on another page")
	quiet(t, here, "its own change")
	newTask(t, s, ann.ID, "Made elsewhere")
	received(t, here, "a change made by no page")
	received(t, there, "a change made by no page")
}

// TestStoreClosesTwice: closing a store again returns at once, whether or
// not anything subscribed (on PostgreSQL a listener may or may not have
// started).
func TestStoreClosesTwice(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	for _, subscribed := range []bool{false, true} {
		s, err := models.Open(context.Background(), models.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		if subscribed {
			if _, err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			subscribe(t, s, 1)
		}
		s.Close()
		s.Close()
	}
}

// subscribe subscribes to userID's events, as the page called page if one
// is given.
func subscribe(t *testing.T, s *models.Store, userID int64, page ...string) *models.Subscription {
	t.Helper()
	ctx := t.Context()
	if len(page) > 0 {
		ctx = models.WithEventOrigin(ctx, page[0])
	}
	sub, err := s.SubscribeTasks(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sub.Close)
	return sub
}

func openAt(t *testing.T, url string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), models.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
