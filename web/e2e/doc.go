// Package e2e holds taskapp's browser tests: journeys driven through
// Chromium with chromedp against the real router on a fresh database, with
// and without JavaScript, plus accessibility checks with axe-core and the
// screenshot generator for docs/screenshots.
//
// The tests need Chromium at /usr/bin/chromium and sit behind the build tag
// "browser", so the default `go test ./...` neither builds nor runs them:
//
//	go test -tags browser -count=1 ./web/e2e/
//	SCREENSHOTS_DIR=docs/screenshots go test -tags browser -run TestScreenshots ./web/e2e/
//
// TEST_DATABASE_URL switches them to PostgreSQL, as for every other test.
package e2e
