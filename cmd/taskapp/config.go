package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"taskapp/models"
	"taskapp/web"
)

// Defaults for the settings product.md names.
const (
	defaultListenAddr = "127.0.0.1:8080"
	// defaultDataDir is the data directory on PostgreSQL, where the
	// generated session secret is in the database (web.SessionKeysFor);
	// with SQLite it is the database file's directory, which holds it.
	defaultDataDir = "data"
)

// serveConfig is what the web server needs beyond the store.
type serveConfig struct {
	// Addr is where HTTP is served (LISTEN_ADDR, --addr).
	Addr string
	// SessionSecret signs and encrypts session cookies; a comma-separated
	// list allows key rotation. Empty means generate one and keep it in
	// the database (PostgreSQL) or DataDir (SQLite).
	SessionSecret string
	// SecureCookies is "auto", "true" or "false" (SECURE_COOKIES); ""
	// leaves web's default, auto.
	SecureCookies string
	// DataDir is the SQLite file's directory, or ./data on PostgreSQL.
	DataDir string
	// TrustedProxies may set X-Forwarded-For/-Proto (TRUSTED_PROXIES,
	// comma-separated CIDRs or addresses; default none).
	TrustedProxies []*net.IPNet
	// PprofAddr, if set, serves net/http/pprof on its own loopback
	// listener (PPROF_ADDR; default off). See docs/benchmarks.md.
	PprofAddr string
	// Backups schedules automatic backups (BACKUP_DIR and friends).
	Backups autoBackupConfig
	// RegistrationClosed turns the Register page away (REGISTRATION=closed;
	// default open).
	RegistrationClosed bool
	// Retention is how long deleted data is kept (TRASH_RETENTION).
	Retention retentionConfig
}

// config is everything taskapp reads from its environment.
type config struct {
	DB     models.Config
	Serve  serveConfig
	Logger *slog.Logger
}

// loadConfig reads product.md's configuration table (plus LOG_FORMAT)
// through getenv. Errors name the variable and what it accepts; they are
// usage errors, since the operator has to fix the environment.
func loadConfig(getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }

	cfg.DB.URL = env("DATABASE_URL")
	dataDir, err := dataDirFor(cfg.DB.URL)
	if err != nil {
		return cfg, err
	}

	cfg.DB.PoolSize = models.DefaultPoolSize
	if v := env("DATABASE_POOL_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return cfg, usageErrorf("DATABASE_POOL_SIZE must be a positive whole number, not %q", v)
		}
		cfg.DB.PoolSize = n
	}

	for _, u := range strings.Split(env("DATABASE_REPLICA_URLS"), ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
			return cfg, usageErrorf("DATABASE_REPLICA_URLS must list postgres:// URLs, separated by commas")
		}
		cfg.DB.ReplicaURLs = append(cfg.DB.ReplicaURLs, u)
	}
	if len(cfg.DB.ReplicaURLs) > 0 && dataDir != defaultDataDir {
		return cfg, usageErrorf("DATABASE_REPLICA_URLS needs DATABASE_URL to be PostgreSQL")
	}

	cfg.DB.WaitBudget = models.DefaultWaitBudget
	if v := env("DATABASE_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, usageErrorf("DATABASE_WAIT must be a positive duration such as 5s or 1500ms, not %q", v)
		}
		cfg.DB.WaitBudget = d
	}

	if v := env("ACCOUNT_RETENTION"); v != "" {
		if cfg.DB.AccountRetention, err = parseRetention("ACCOUNT_RETENTION", v); err != nil {
			return cfg, err
		}
	}

	switch v := strings.ToLower(env("DATABASE_ECHO")); v {
	case "", "false", "0":
	case "true", "1":
		cfg.DB.Echo = true
	default:
		return cfg, usageErrorf("DATABASE_ECHO must be true, false, 1 or 0, not %q", getenv("DATABASE_ECHO"))
	}

	cfg.Serve = serveConfig{
		Addr:          env("LISTEN_ADDR"),
		SessionSecret: getenv("SESSION_SECRET"), // secrets are taken as given
		SecureCookies: strings.ToLower(env("SECURE_COOKIES")),
		DataDir:       dataDir,
	}
	if cfg.Serve.TrustedProxies, err = parseProxies(env("TRUSTED_PROXIES")); err != nil {
		return cfg, err
	}
	if cfg.Serve.Backups, err = loadAutoBackupConfig(getenv); err != nil {
		return cfg, err
	}
	if cfg.Serve.Retention, err = loadRetention(getenv); err != nil {
		return cfg, err
	}
	switch v := strings.ToLower(env("REGISTRATION")); v {
	case "", "open":
	case "closed":
		cfg.Serve.RegistrationClosed = true
	default:
		return cfg, usageErrorf("REGISTRATION must be open or closed, not %q", getenv("REGISTRATION"))
	}
	cfg.Serve.PprofAddr = env("PPROF_ADDR")
	if err := checkPprofAddr(cfg.Serve.PprofAddr); err != nil {
		return cfg, err
	}
	if cfg.Serve.Addr == "" {
		cfg.Serve.Addr = defaultListenAddr
	}
	if err := checkSecureCookies(cfg.Serve.SecureCookies, "SECURE_COOKIES"); err != nil {
		return cfg, err
	}

	var h slog.Handler
	switch v := strings.ToLower(env("LOG_FORMAT")); v {
	case "", "text":
		h = slog.NewTextHandler(stderr, nil)
	case "json":
		h = slog.NewJSONHandler(stderr, nil)
	default:
		return cfg, usageErrorf("LOG_FORMAT must be text or json, not %q", getenv("LOG_FORMAT"))
	}
	cfg.Logger = slog.New(h)
	cfg.DB.Logger = cfg.Logger
	return cfg, nil
}

// checkSecureCookies checks the cookie mode from the setting called name;
// the web layer owns the modes and, when unset, the default.
func checkSecureCookies(v, name string) error {
	if err := web.CheckSecureCookies(v); err != nil {
		return usageErrorf("%s %v", name, err)
	}
	return nil
}

// dataDirFor returns the directory of the SQLite file that dbURL names, or
// the default data directory for PostgreSQL. It also rejects a URL that
// names no database taskapp supports, before anything is opened.
func dataDirFor(dbURL string) (string, error) {
	loc, err := models.ParseURL(dbURL)
	if err != nil {
		return "", &usageError{msg: err.Error()}
	}
	if loc.SQLitePath == "" {
		return defaultDataDir, nil
	}
	return filepath.Dir(loc.SQLitePath), nil
}

// redact removes the password of dbURL from msg: drivers and wrapped errors
// may quote the URL, and error lines end up in logs and terminals.
func redact(msg, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		// An unparsable URL may still carry user:password@; take it apart
		// by hand so that it never reaches the message.
		if at := strings.LastIndex(dbURL, "@"); at > 0 {
			if i := strings.Index(dbURL, "://"); i >= 0 && i+3 < at {
				if c := strings.Index(dbURL[i+3:at], ":"); c >= 0 {
					return redactSecret(msg, dbURL[i+3+c+1:at])
				}
			}
		}
		return msg
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			msg = redactSecret(msg, p)
		}
	}
	return redactSecret(msg, u.Query().Get("password"))
}

func redactSecret(msg, secret string) string {
	if secret == "" {
		return msg
	}
	for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), url.UserPassword("", secret).String()[1:]} {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}

// parseProxies reads TRUSTED_PROXIES: CIDRs or single addresses.
func parseProxies(v string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			if ip := net.ParseIP(item); ip != nil && ip.To4() != nil {
				item += "/32"
			} else {
				item += "/128"
			}
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, &usageError{msg: fmt.Sprintf("TRUSTED_PROXIES: %q is not an address or CIDR", item)}
		}
		nets = append(nets, n)
	}
	return nets, nil
}
