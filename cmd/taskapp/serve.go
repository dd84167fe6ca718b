package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"

	"taskapp/models"
	"taskapp/static"
	"taskapp/web"
)

// serveFlags mirror the environment for the web server; an empty flag
// leaves the environment's value (or its default) in place.
type serveFlags struct {
	addr          string
	secureCookies string
}

func newServeFlags(f *serveFlags) commandFlags {
	fs := newCommandFlags("serve", `Usage: taskapp [serve] [flags]

Applies pending migrations, then serves the web app until interrupted
(SIGINT or SIGTERM stop it gracefully). The database and the rest of the
configuration come from the environment; see 'taskapp help'.

Flags:
`)
	fs.StringVar(&f.addr, "addr", "", "where HTTP is served, `HOST:PORT` (default $LISTEN_ADDR or "+defaultListenAddr+")")
	fs.StringVar(&f.secureCookies, "secure-cookies", "", "the Secure cookie flag, `auto|true|false` (default $SECURE_COOKIES or auto)")
	return fs
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := serveSettings(args, getenv, stdout, stderr)
	if err != nil {
		return ignoreHelp(err)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, cfg.Serve, store, cfg.Logger)
}

// serveSettings is the environment's configuration with serve's flags laid
// over it.
func serveSettings(args []string, getenv func(string) string, stdout, stderr io.Writer) (config, error) {
	var f serveFlags
	if err := newServeFlags(&f).parse(args, stdout); err != nil {
		return config{}, err
	}
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return cfg, err
	}
	if f.addr != "" {
		cfg.Serve.Addr = f.addr
	}
	if f.secureCookies != "" {
		if err := checkSecureCookies(f.secureCookies, "--secure-cookies"); err != nil {
			return cfg, err
		}
		cfg.Serve.SecureCookies = f.secureCookies
	}
	return cfg, nil
}

// serve migrates the database, then serves the web app on cfg.Addr until
// ctx is cancelled, and returns nil after a graceful shutdown. store is
// open and stays owned by the caller, which closes it after serve returns;
// logger receives the server's logs.
func serve(ctx context.Context, cfg serveConfig, store *models.Store, logger *slog.Logger) error {
	if err := applyMigrations(ctx, store, logger); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Periodic jobs run from the start (expired sessions are purged at
	// once) until the server has shut down.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() { defer close(jobsDone); newScheduler(store, cfg.Retention, logger).Run(jobsCtx) }()
	defer func() { stopJobs(); <-jobsDone }()
	keys, err := web.SessionKeysFor(ctx, store, cfg.SessionSecret, cfg.DataDir)
	if errors.Is(err, web.ErrSecretStore) {
		return fmt.Errorf("serve: %w", err)
	}
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	assets, err := static.New()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	e, err := web.New(web.Config{
		SessionKeys:        keys,
		SecureCookies:      cfg.SecureCookies,
		TrustedProxies:     cfg.TrustedProxies,
		RegistrationClosed: cfg.RegistrationClosed,
		TrashRetention:     cfg.Retention.Tasks,
		Logger:             logger,
	}, store, assets)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if cfg.PprofAddr != "" {
		if err := servePprof(ctx, cfg.PprofAddr, logger); err != nil {
			ln.Close()
			return err
		}
	}
	ctx, stop := context.WithCancel(ctx)
	wait := startAutoBackups(ctx, cfg.Backups, store, logger)
	defer wait()
	defer stop()
	return web.Serve(ctx, web.NewHTTPServer(e, logger), ln, logger)
}

// applyMigrations applies every pending migration, logging one line for
// each and one for the resulting version: goose's own logging, with every
// statement, is too much for a server log.
func applyMigrations(ctx context.Context, store *models.Store, logger *slog.Logger) error {
	m, err := store.Migrate(ctx)
	for _, a := range m.Applied {
		logger.Info("migration applied", "version", a.Version, "name", a.Name, "duration", roundDuration(a.Duration))
	}
	if err != nil {
		return err
	}
	logger.Info("database schema is up to date", "dialect", store.Dialect(), "version", m.Version)
	return nil
}

// ignoreHelp turns errHelpShown into success.
func ignoreHelp(err error) error {
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}
