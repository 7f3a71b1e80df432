// Leak (GL019): Put holds c.mu and calls Evict, which locks c.mu again. Go
// mutexes are not reentrant: the goroutine that fills the cache waits for
// itself forever, and every later caller waits for it.
// Fix: give Evict a variant that expects the lock held (evictLocked) and call
// that one from Put.
package main

import (
	"fmt"
	"sync"
	"time"
)

// Cache keeps at most max keys, oldest first out.
type Cache struct {
	mu    sync.Mutex
	max   int
	keys  []string
	items map[string]string
}

// Put adds a value and evicts the oldest ones past max.
func (c *Cache) Put(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
	c.keys = append(c.keys, k)
	if len(c.keys) > c.max {
		c.Evict(len(c.keys) - c.max)
	}
}

// Evict drops the n oldest keys.
func (c *Cache) Evict(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.keys[:n] {
		delete(c.items, k)
	}
	c.keys = append(c.keys[:0], c.keys[n:]...)
}

func main() {
	c := &Cache{max: 1, items: map[string]string{}}
	done := make(chan struct{})
	go func() {
		c.Put("a", "1")
		c.Put("b", "2") // over max: Evict waits for the lock Put holds
		close(done)
	}()
	select {
	case <-done:
		fmt.Println("both puts returned")
	case <-time.After(100 * time.Millisecond):
		fmt.Println("the second Put is still waiting for the lock it holds itself")
	}
}
