// Leak (GL011): transfer holds accountsMu while taking auditMu, report holds auditMu
// while taking accountsMu; run at the same time, each waits for the other forever.
// Fix: take the two locks in one fixed order (accountsMu, then auditMu) everywhere.
package main

import (
	"fmt"
	"sync"
)

var (
	accountsMu sync.Mutex
	balances   = map[string]int{"alice": 100, "bob": 20}

	auditMu  sync.Mutex
	auditLog []string
)

func transfer(from, to string, amount int) {
	accountsMu.Lock()
	defer accountsMu.Unlock()
	balances[from] -= amount
	balances[to] += amount
	auditMu.Lock()
	auditLog = append(auditLog, fmt.Sprintf("%s -> %s: %d", from, to, amount))
	auditMu.Unlock()
}

func report() string {
	auditMu.Lock()
	defer auditMu.Unlock()
	accountsMu.Lock()
	defer accountsMu.Unlock()
	return fmt.Sprintf("%d transfers, balances %v", len(auditLog), balances)
}

func main() {
	// One after the other the two functions work; from two goroutines at the
	// same time they can deadlock.
	transfer("alice", "bob", 30)
	fmt.Println(report())
}
