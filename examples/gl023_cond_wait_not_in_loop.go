// Leak (GL023): Take waits once under `if len(q.items) == 0`. Put wakes every
// consumer with Broadcast, but only one item arrives: the first consumer
// takes it, the second wakes to an empty queue and fails (here it reports
// it; code that indexes q.items[0] panics, code that waits again without
// re-checking sleeps through the next signal).
// Fix: `for len(q.items) == 0 { q.cond.Wait() }`.
package main

import (
	"fmt"
	"sync"
	"time"
)

// Queue hands jobs to consumers.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

// Put adds a job and wakes the consumers.
func (q *Queue) Put(job string) {
	q.mu.Lock()
	q.items = append(q.items, job)
	q.mu.Unlock()
	q.cond.Broadcast()
}

// Take returns the next job, waiting for one.
func (q *Queue) Take() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	job := q.items[0]
	q.items = append(q.items[:0], q.items[1:]...)
	return job, true
}

func main() {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			job, ok := q.Take()
			fmt.Printf("consumer %d: job %q, ok %v\n", i, job, ok)
		}(i)
	}
	time.Sleep(50 * time.Millisecond)
	q.Put("resize")
	wg.Wait()
}
