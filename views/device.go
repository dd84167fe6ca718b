package views

import "strings"

// Device names the browser and system a user agent string describes, the
// way a person would say it: "Firefox on Linux", "Safari on iPhone". It is
// a guess from well-known tokens, good enough to recognise one's own
// devices; anything else is "Unknown browser".
func Device(ua string) string {
	browser := firstMatch(ua, browsers)
	system := firstMatch(ua, systems)
	switch {
	case browser == "" && system == "":
		return "Unknown browser"
	case browser == "":
		return "Unknown browser on " + system
	case system == "":
		return browser
	}
	return browser + " on " + system
}

// token is a substring of a user agent and what it means.
type token struct{ substr, name string }

// browsers is checked in order: Chromium-based browsers also say
// "Chrome/" and "Safari/", and Chrome says "Safari/", so the more specific
// tokens come first.
var browsers = []token{
	{"Edg/", "Edge"}, {"EdgiOS/", "Edge"}, {"EdgA/", "Edge"},
	{"OPR/", "Opera"}, {"Opera", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"Chromium/", "Chromium"}, {"HeadlessChrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"Chrome/", "Chrome"},
	{"Safari/", "Safari"},
	{"curl/", "curl"}, {"Wget/", "Wget"}, {"Go-http-client/", "Go program"},
}

// systems is checked in order: Android says "Linux", iOS says "like Mac OS X".
var systems = []token{
	{"iPhone", "iPhone"}, {"iPad", "iPad"},
	{"Android", "Android"}, {"CrOS", "ChromeOS"},
	{"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
	{"Linux", "Linux"}, {"FreeBSD", "FreeBSD"}, {"OpenBSD", "OpenBSD"},
}

func firstMatch(ua string, tokens []token) string {
	for _, t := range tokens {
		if strings.Contains(ua, t.substr) {
			return t.name
		}
	}
	return ""
}
