package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"

	"taskapp/migrations"
)

// Config says how to reach the database. The zero value opens SQLite at
// DefaultSQLitePath with the schema spec's pool settings.
type Config struct {
	// URL is DATABASE_URL: postgres://… or postgresql://… for PostgreSQL,
	// sqlite:PATH for an SQLite file, "" for the default SQLite file.
	URL string
	// PoolSize is the most connections open at once, all of them kept idle
	// too (DATABASE_POOL_SIZE; the spec's pool_size with max_overflow 0).
	PoolSize int
	// PoolTimeout bounds how long a call waits for a connection and runs
	// (the spec's pool_timeout, 30 s).
	PoolTimeout time.Duration
	// ConnMaxLifetime recycles connections (the spec's pool_recycle, 1 h).
	ConnMaxLifetime time.Duration
	// ReplicaURLs are streaming replicas of the PostgreSQL primary that
	// queries may read from (DATABASE_REPLICA_URLS); see replicaSet.
	ReplicaURLs []string
	// WaitBudget bounds how long a statement waits for an unreachable
	// PostgreSQL before it fails with ErrUnavailable (DATABASE_WAIT,
	// default DefaultWaitBudget; see waitingPool).
	WaitBudget time.Duration
	// Echo logs every SQL statement at Info (DATABASE_ECHO), with
	// placeholders where the values go: values are password hashes and
	// people's tasks, which do not belong in logs.
	Echo bool
	// EchoValues, with Echo, logs the values inlined instead of
	// placeholders, so that the statements can be run again under
	// EXPLAIN. It is for cmd/dbbench on its own generated data; no
	// setting turns it on.
	EchoValues bool
	Logger     *slog.Logger
	// AccountRetention is how long a deleted account (and its tasks) can
	// still be restored before the purge erases it (ACCOUNT_RETENTION,
	// default DefaultAccountRetention).
	AccountRetention time.Duration
}

// Defaults from the schema spec's connection management section.
const (
	DefaultPoolSize        = 10
	DefaultPoolTimeout     = 30 * time.Second
	DefaultConnMaxLifetime = time.Hour
)

func (c *Config) setDefaults() {
	if c.PoolSize <= 0 {
		c.PoolSize = DefaultPoolSize
	}
	if c.PoolTimeout <= 0 {
		c.PoolTimeout = DefaultPoolTimeout
	}
	if c.ConnMaxLifetime <= 0 {
		c.ConnMaxLifetime = DefaultConnMaxLifetime
	}
	if c.WaitBudget <= 0 {
		c.WaitBudget = DefaultWaitBudget
	}
	if c.AccountRetention <= 0 {
		c.AccountRetention = DefaultAccountRetention
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Store is taskapp's storage: one value, shared by all requests, with one
// file per entity for its methods.
type Store struct {
	dialect migrations.Dialect
	// read serves queries. write serves statements that change data; on
	// PostgreSQL both are the same pool. On SQLite write is a single
	// connection whose transactions BEGIN IMMEDIATE: writers then queue in
	// Go instead of racing for SQLite's lock, so "database is locked"
	// cannot happen between our own requests, while WAL lets the read pool
	// run alongside. Task writes reach it through group (groupcommit.go),
	// which commits every write waiting at that moment in one transaction.
	read, write     *gorm.DB
	readDB, writeDB *sql.DB
	timeout         time.Duration
	// replicas, if any, serve read's queries; nil without replicas.
	replicas *replicaSet
	// url is DATABASE_URL on PostgreSQL, for OpenScratch.
	url string
	// accountRetention is Config.AccountRetention.
	accountRetention time.Duration
	// events carries "tasks changed" to subscribers (events.go).
	events broker
	// group batches the task writes into shared transactions on SQLite
	// (groupcommit.go); nil on PostgreSQL.
	group *groupCommit
}

// Open connects to the database described by cfg and checks that it
// answers. It does not migrate; see Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg.setDefaults()
	loc, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if loc.Dialect == migrations.Postgres {
		return openPostgres(ctx, cfg)
	}
	return openSQLite(ctx, cfg, loc.SQLitePath)
}

func gormConfig(cfg Config) *gorm.Config {
	lg := logger.Discard
	if cfg.Echo {
		lg = logger.NewSlogLogger(cfg.Logger, logger.Config{LogLevel: logger.Info, IgnoreRecordNotFoundError: true, ParameterizedQueries: !cfg.EchoValues})
	}
	return &gorm.Config{
		Logger:  lg,
		NowFunc: Now,
		// Each store call is one statement or an explicit transaction;
		// GORM's implicit transaction around single writes is a round trip
		// for nothing.
		SkipDefaultTransaction: true,
		// The schema belongs to the migrations; GORM never creates tables.
		DisableAutomaticPing: true,
	}
}

func openPostgres(ctx context.Context, cfg Config) (*Store, error) {
	db, pgcfg, err := openPgxDB(cfg.URL, cfg)
	if err != nil {
		return nil, errors.New("models: DATABASE_URL is not a valid PostgreSQL URL")
	}
	s := &Store{dialect: migrations.Postgres, readDB: db, writeDB: db, timeout: cfg.PoolTimeout, url: cfg.URL, accountRetention: cfg.AccountRetention,
		events: newPGBroker(db, pgcfg, cfg.Logger)}
	// One pool, two views of it: queries may be retried after a lost
	// connection, writes only when they were never sent (waitingPool).
	if s.write, err = openWaiting(db, cfg, false); err == nil {
		s.read, err = openWaiting(db, cfg, true)
	}
	if err == nil && len(cfg.ReplicaURLs) > 0 {
		s.replicas, err = openReplicas(s.read, cfg)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("models: open postgres: %w", err)
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("models: cannot reach PostgreSQL: %w", err)
	}
	return s, nil
}

// openPgxDB opens a database/sql pool on the PostgreSQL server at rawURL
// with the pool settings of cfg. The error never quotes the URL.
// The connection config comes back too, for connections of its own.
func openPgxDB(rawURL string, cfg Config) (*sql.DB, *pgx.ConnConfig, error) {
	pgcfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		// pgx's message can echo the URL, password included.
		return nil, nil, errors.New("not a valid PostgreSQL URL")
	}
	// The schema's TIMESTAMP columns have no zone: CURRENT_TIMESTAMP in the
	// defaults and the trigger must be UTC whatever the server's setting.
	pgcfg.RuntimeParams["timezone"] = "UTC"
	db := stdlib.OpenDB(*pgcfg, stdlib.OptionResetSession(dropIfClosed))
	db.SetMaxOpenConns(cfg.PoolSize)
	db.SetMaxIdleConns(cfg.PoolSize)
	db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	return db, pgcfg, nil
}

// openWaiting opens GORM on db through a waitingPool; a readOnly one
// refuses writes.
func openWaiting(db *sql.DB, cfg Config, readOnly bool) (*gorm.DB, error) {
	pool := &waitingPool{db: db, budget: cfg.WaitBudget, readOnly: readOnly}
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: pool}), gormConfig(cfg))
	if err != nil || !readOnly {
		return gdb, err
	}
	return gdb, refuseWrites(gdb)
}

func openSQLite(ctx context.Context, cfg Config, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("models: create database directory: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	// busy_timeout comes first so the other pragmas wait for a lock held
	// by another process (a `taskapp migrate` beside a running server).
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	dsn := path + "?" + q.Encode()

	writeDB, err := sql.Open(sqlite.DriverName, dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("models: open sqlite: %w", err)
	}
	writeDB.SetMaxOpenConns(1)
	writeDB.SetMaxIdleConns(1)
	readDB, err := sql.Open(sqlite.DriverName, dsn)
	if err != nil {
		writeDB.Close()
		return nil, fmt.Errorf("models: open sqlite: %w", err)
	}
	readDB.SetMaxOpenConns(cfg.PoolSize)
	readDB.SetMaxIdleConns(cfg.PoolSize)
	readDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)

	s := &Store{dialect: migrations.SQLite, readDB: readDB, writeDB: writeDB, timeout: cfg.PoolTimeout, accountRetention: cfg.AccountRetention,
		events: newHub()}
	gc := gormConfig(cfg)
	if s.write, err = gorm.Open(sqlite.Dialector{Conn: writeDB}, gc); err == nil {
		s.read, err = gorm.Open(sqlite.Dialector{Conn: readDB}, gc)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("models: open sqlite: %w", err)
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("models: open sqlite %s: %w", path, err)
	}
	s.group = newGroupCommit(s.write, cfg.PoolTimeout)
	return s, nil
}

// init pings both pools and installs the owner guard.
func (s *Store) init(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, db := range []*sql.DB{s.writeDB, s.readDB} {
		if err := db.PingContext(ctx); err != nil {
			return err
		}
	}
	if s.replicas != nil {
		if err := s.replicas.ping(ctx); err != nil {
			return err
		}
	}
	for _, db := range []*gorm.DB{s.read, s.write} {
		if err := installOwnerGuard(db); err != nil {
			return err
		}
	}
	return nil
}

// Dialect is the SQL dialect of the open database.
func (s *Store) Dialect() migrations.Dialect { return s.dialect }

// DB is the connection pool that migrations and maintenance commands use.
func (s *Store) DB() *sql.DB { return s.writeDB }

// Stats reports the read pool's statistics (the only pool on PostgreSQL).
func (s *Store) Stats() sql.DBStats { return s.readDB.Stats() }

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.readDB.PingContext(ctx); err != nil {
		return classify("models: ping", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close() // the batch in hand commits before the writer closes
	}
	err := s.events.close()
	err = errors.Join(err, s.writeDB.Close())
	if s.readDB != s.writeDB {
		err = errors.Join(err, s.readDB.Close())
	}
	if s.replicas != nil {
		err = errors.Join(err, s.replicas.close())
	}
	return err
}

// reader gives a query made for userID its session, with the pool timeout
// applied: on a replica unless userID has a write the replicas have not
// replayed yet (read-your-writes).
func (s *Store) reader(ctx context.Context, userID int64) (*gorm.DB, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	db := s.read.WithContext(ctx)
	if s.replicas != nil && s.replicas.needsPrimary(ctx, userID) {
		db = db.Clauses(dbresolver.Write)
	}
	return db, cancel
}

// primaryReader is reader for lookups not made for a known user (sign-in
// by email): they read the primary, so an account is found the moment it
// exists.
func (s *Store) primaryReader(ctx context.Context) (*gorm.DB, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	db := s.read.WithContext(ctx)
	if s.replicas != nil {
		db = db.Clauses(dbresolver.Write)
	}
	return db, cancel
}

// writer gives a write made for userID its session. done, called when the
// write is over, notes the write for read-your-writes.
func (s *Store) writer(ctx context.Context, userID int64) (db *gorm.DB, done func()) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	return s.write.WithContext(ctx), func() {
		s.noteWrite(ctx, userID)
		cancel()
	}
}

// noteWrite pins userID's reads to the primary until the replicas have
// replayed what the primary has written so far.
func (s *Store) noteWrite(ctx context.Context, userID int64) {
	if s.replicas != nil && userID != 0 {
		s.replicas.wrote(ctx, s.writeDB, userID)
	}
}
