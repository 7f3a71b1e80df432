// Fixtures of GL031 sql-rows-not-closed.
package fixtures

import (
	"context"
	"database/sql"
	"errors"
)

type User struct {
	ID   int64
	Name string
}

// A return inside the loop leaves the rows open.
func userNames(ctx context.Context, db *sql.DB) ([]string, error) {
	// ruleid: GL031
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// The same with the close deferred.
func userNamesClosed(ctx context.Context, db *sql.DB) ([]string, error) {
	// ok: GL031
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// A loop that always runs to the end closes the rows itself.
func countActive(tx *sql.Tx) (int, error) {
	// ok: GL031
	rows, err := tx.Query("SELECT id FROM sessions WHERE active")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// The first row only: the rows stay open after the break.
func firstUser(db *sql.DB) (*User, error) {
	// ruleid: GL031
	rows, err := db.Query("SELECT id, name FROM users ORDER BY id")
	if err != nil {
		return nil, err
	}
	var u *User
	for rows.Next() {
		u = &User{}
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			u = nil
		}
		break
	}
	return u, nil
}

// An existence check that never reads the rows.
func exists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	// ruleid: GL031
	rows, err := conn.QueryContext(ctx, "SELECT 1 FROM users WHERE name = ?", name)
	if err != nil {
		return false, err
	}
	return rows.Err() == nil, nil
}

// Next returning false closes them: if !rows.Next() returns nothing open.
func oneName(stmt *sql.Stmt, id int64) (string, error) {
	// ok: GL031
	rows, err := stmt.Query(id)
	if err != nil {
		return "", err
	}
	if !rows.Next() {
		return "", errors.New("no such user")
	}
	defer rows.Close()
	var name string
	err = rows.Scan(&name)
	return name, err
}

// A helper of the file that scans the rows to the end.
func scanUsers(rows *sql.Rows) ([]User, error) {
	var us []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			continue
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

func allUsers(db *sql.DB) ([]User, error) {
	// ok: GL031
	rows, err := db.Query("SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	return scanUsers(rows)
}

// The rows are the caller's to close.
func queryUsers(db *sql.DB) (*sql.Rows, error) {
	// ok: GL031
	rows, err := db.Query("SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// QueryRow never leaks.
func userName(db *sql.DB, id int64) (string, error) {
	var name string
	// ok: GL031
	err := db.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name)
	return name, err
}
