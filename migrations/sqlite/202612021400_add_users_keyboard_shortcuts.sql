-- Not in the schema spec: added with the keyboard shortcuts (issue 13).
-- Single-key shortcuts can be turned off on the account page (WCAG 2.1.4,
-- for speech-input users and anyone who types into the page by accident);
-- they are on unless the user turns them off.

-- +goose Up
ALTER TABLE users ADD COLUMN keyboard_shortcuts BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE users DROP COLUMN keyboard_shortcuts;
