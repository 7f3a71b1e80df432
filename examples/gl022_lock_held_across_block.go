// Leak (GL022): Set sends on the unbuffered updates channel while holding
// m.mu, and the sync loop takes m.mu for every update it handles. While the
// loop waits for m.mu to handle the first update, the second Set holds m.mu
// and waits for the loop to receive: both wait forever, and so does every
// later Set.
// Fix: unlock before sending (copy what the update needs first), or give the
// channel room for every pending update.
package main

import (
	"fmt"
	"sync"
	"time"
)

// Manager keeps the latest phase of each pod and syncs them in the background.
type Manager struct {
	mu      sync.Mutex
	phases  map[string]string
	synced  map[string]string
	updates chan string
}

// Set records a phase and notifies the sync loop.
func (m *Manager) Set(pod, phase string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.phases[pod] = phase
	m.updates <- pod
}

func (m *Manager) sync() {
	for pod := range m.updates {
		time.Sleep(time.Millisecond) // the API call
		m.mu.Lock()
		m.synced[pod] = m.phases[pod]
		m.mu.Unlock()
	}
}

func main() {
	m := &Manager{phases: map[string]string{}, synced: map[string]string{}, updates: make(chan string)}
	go m.sync()
	done := make(chan struct{})
	go func() {
		m.Set("web-1", "Running")
		m.Set("web-2", "Pending")
		close(done)
	}()
	select {
	case <-done:
		fmt.Println("both updates were synced")
	case <-time.After(200 * time.Millisecond):
		fmt.Println("Set and the sync loop wait for each other")
	}
}
