// Fixtures of GL038 sql-tx-not-ended.
package fixtures

import (
	"context"
	"database/sql"
	"errors"
)

var errNoFunds = errors.New("insufficient funds")

// A failed statement returns with the transaction open.
func transfer(ctx context.Context, db *sql.DB, from, to int64, amount int) error {
	// ruleid: GL038
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET bal = bal - ? WHERE id = ?", amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET bal = bal + ? WHERE id = ?", amount, to); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// A check that fails returns before either ending.
func withdraw(db *sql.DB, id int64, amount int) error {
	// ruleid: GL038
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	var bal int
	if err := tx.QueryRow("SELECT bal FROM acct WHERE id = ?", id).Scan(&bal); err != nil {
		tx.Rollback()
		return err
	}
	if bal < amount {
		return errNoFunds
	}
	if _, err := tx.Exec("UPDATE acct SET bal = ? WHERE id = ?", bal-amount, id); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// The deferred Rollback ends every path (it does nothing after Commit).
func deposit(ctx context.Context, db *sql.DB, id int64, amount int) error {
	// ok: GL038
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET bal = bal + ? WHERE id = ?", amount, id); err != nil {
		return err
	}
	return tx.Commit()
}

// A transaction handed to the caller is the caller's to end.
func begin(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	// ok: GL038
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = '1s'"); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}
