// Leak (GL021): Names holds a read lock of r.mu and calls Healthy, which
// read-locks r.mu again. When Heartbeat calls Lock between the two, the
// writer waits for the first read lock and the second RLock waits for the
// writer: Names, Heartbeat and everyone after them wait forever.
// Fix: read-lock once, in Names, and call a healthyLocked variant that
// expects the lock held.
package main

import (
	"fmt"
	"sync"
	"time"
)

// Registry records when services last checked in.
type Registry struct {
	mu       sync.RWMutex
	lastSeen map[string]time.Time
}

// Healthy reports whether the service checked in during the last minute.
func (r *Registry) Healthy(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return time.Since(r.lastSeen[name]) < time.Minute
}

// Names lists the healthy services.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name := range r.lastSeen {
		time.Sleep(10 * time.Millisecond) // a writer arrives meanwhile
		if r.Healthy(name) {
			out = append(out, name)
		}
	}
	return out
}

// Heartbeat records a check-in.
func (r *Registry) Heartbeat(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastSeen[name] = time.Now()
}

func main() {
	r := &Registry{lastSeen: map[string]time.Time{"api": time.Now()}}
	done := make(chan struct{})
	go func() {
		fmt.Println(r.Names())
		close(done)
	}()
	time.Sleep(time.Millisecond)
	go r.Heartbeat("db")
	select {
	case <-done:
		fmt.Println("Names returned")
	case <-time.After(200 * time.Millisecond):
		fmt.Println("Names and Heartbeat wait for each other")
	}
}
