// Fixtures of GL039 sql-handle-not-closed.
package fixtures

import (
	"context"
	"database/sql"
	"time"
)

type Store struct {
	db     *sql.DB
	insert *sql.Stmt
}

// Record prepares a statement per call and drops it.
func (s *Store) Record(ctx context.Context, at time.Time, kind string) error {
	// ruleid: GL039
	stmt, err := s.db.PrepareContext(ctx, "INSERT INTO events(at, kind) VALUES(?, ?)")
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, at, kind)
	return err
}

// Usage opens a pool per call and never closes it.
func Usage(dsn, tenant string) (int, error) {
	// ruleid: GL039
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.QueryRow("SELECT count(*) FROM usage WHERE tenant = $1", tenant).Scan(&n)
	return n, err
}

// Count closes the statement on every path.
func (s *Store) Count(ctx context.Context, kind string) (int, error) {
	// ok: GL039
	stmt, err := s.db.PrepareContext(ctx, "SELECT count(*) FROM events WHERE kind = ?")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var n int
	err = stmt.QueryRowContext(ctx, kind).Scan(&n)
	return n, err
}

// Open keeps the pool and the statement in the store it returns.
func Open(dsn string) (*Store, error) {
	// ok: GL039
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	// ok: GL039
	ins, err := db.Prepare("INSERT INTO events(at, kind) VALUES(?, ?)")
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, insert: ins}, nil
}
