package models_test

import (
	"strings"
	"testing"

	"taskapp/models"
)

// A hash whose parameters ask for absurd memory or passes (a tampered row)
// is refused rather than run.
func TestCheckPasswordRefusesAbusiveParameters(t *testing.T) {
	hash, err := models.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(hash, "correct horse") {
		t.Fatal("the genuine hash does not verify")
	}
	for _, params := range []string{"m=4194304,t=2,p=1", "m=19456,t=1000,p=1"} {
		tampered := strings.Replace(hash, "m=19456,t=2,p=1", params, 1)
		if models.CheckPassword(tampered, "correct horse") {
			t.Errorf("hash with %s verified", params)
		}
	}
}
