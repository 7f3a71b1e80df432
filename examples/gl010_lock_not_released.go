// Leak (GL010): Take returns on the out-of-stock path while still holding inv.mu,
// so the mutex stays locked and every later caller blocks forever.
// Fix: call `defer inv.mu.Unlock()` right after `inv.mu.Lock()`.
package main

import (
	"errors"
	"fmt"
	"sync"
)

var errOutOfStock = errors.New("out of stock")

// Inventory counts items on the shelf.
type Inventory struct {
	mu    sync.Mutex
	stock map[string]int
}

// Take removes one item from the shelf.
func (inv *Inventory) Take(item string) error {
	inv.mu.Lock()
	if inv.stock[item] == 0 {
		return fmt.Errorf("take %s: %w", item, errOutOfStock)
	}
	inv.stock[item]--
	inv.mu.Unlock()
	return nil
}

func main() {
	inv := &Inventory{stock: map[string]int{"apple": 1}}
	fmt.Println("first take:", inv.Take("apple"))
	fmt.Println("second take:", inv.Take("apple"))
	if inv.mu.TryLock() {
		inv.mu.Unlock()
		fmt.Println("the mutex is free")
	} else {
		fmt.Println("the mutex is still held after the error: a third Take would block forever")
	}
}
