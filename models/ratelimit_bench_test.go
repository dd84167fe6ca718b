package models_test

import (
	"strconv"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// BenchmarkTakeTokens is what every sign-in attempt costs on PostgreSQL
// for its rate limits: one statement taking a token from the address's
// and the account's buckets. Each iteration uses new keys (a new address,
// a new email), the worst case, an insert; /existing repeats one address
// and one email with a burst that never runs out, an update.
//
//	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres go test -run '^$' -bench BenchmarkTakeTokens ./models/
func BenchmarkTakeTokens(b *testing.B) {
	if !dbtest.Postgres() {
		b.Skip("the buckets are in the database on PostgreSQL only")
	}
	s := dbtest.New(b)
	pair := func(ip, email string) []models.TokenBucket {
		return []models.TokenBucket{
			{Limit: "login-ip", Key: ip, Burst: 1 << 30, Every: time.Second},
			{Limit: "account", Key: "login:" + email, Burst: 1 << 30, Every: time.Second},
		}
	}
	b.Run("new", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if ok, _, err := s.TakeTokens(b.Context(), pair("10.0."+strconv.Itoa(i), strconv.Itoa(i)+"@example.com")); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("existing", func(b *testing.B) {
		for b.Loop() {
			if ok, _, err := s.TakeTokens(b.Context(), pair("10.1.1.1", "ann@example.com")); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
}
