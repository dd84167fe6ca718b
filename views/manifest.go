package views

import (
	"encoding/json"
	"fmt"

	"taskapp/static"
)

// The browser's window colours when taskapp is installed or open on a
// phone: Pico's primary blue in the light scheme, its dark background in
// the dark one. The layout's theme-color metas use the same values.
const (
	ThemeColorLight = "#0172ad"
	ThemeColorDark  = "#13171f"
)

// webManifest is the web app manifest's JSON shape (the members browsers
// use for "Add to Home Screen" and an installed app's window).
type webManifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	ID              string         `json:"id"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	ThemeColor      string         `json:"theme_color"`
	BackgroundColor string         `json:"background_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// Manifest is the web app manifest, with icon URLs from asset (their
// content-hashed paths). Installed, taskapp opens on the task list in a
// window of its own. The icons draw the mark well inside the central
// circle that masks keep, so the same files serve as "maskable".
func Manifest(asset func(name string) string) ([]byte, error) {
	m := webManifest{
		Name:            "taskapp",
		ShortName:       "taskapp",
		Description:     "Your tasks, self-hosted.",
		ID:              PathTasks,
		StartURL:        PathTasks,
		Scope:           "/",
		Display:         "standalone",
		ThemeColor:      ThemeColorLight,
		BackgroundColor: "#ffffff",
		Icons: []manifestIcon{
			{Src: asset(static.Icon192), Sizes: "192x192", Type: "image/png", Purpose: "any maskable"},
			{Src: asset(static.Icon512), Sizes: "512x512", Type: "image/png", Purpose: "any maskable"},
			{Src: asset(static.Icon), Sizes: "any", Type: "image/svg+xml", Purpose: "any"},
		},
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("views: manifest: %w", err)
	}
	return b, nil
}
