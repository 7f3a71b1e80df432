// Leak (GL024): the goroutine returns early when a check fails, before its
// wg.Done(): the count never reaches zero and wg.Wait() blocks forever, with
// every result collected so far.
// Fix: `defer wg.Done()` as the goroutine's first statement.
package main

import (
	"fmt"
	"sync"
	"time"
)

func check(n int) error {
	if n%3 == 0 {
		return fmt.Errorf("%d is a multiple of 3", n)
	}
	return nil
}

// Validate checks every number concurrently and returns the valid ones.
func Validate(nums []int) []int {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		valid []int
	)
	for _, n := range nums {
		wg.Add(1)
		go func(n int) {
			if err := check(n); err != nil {
				return
			}
			mu.Lock()
			valid = append(valid, n)
			mu.Unlock()
			wg.Done()
		}(n)
	}
	wg.Wait()
	return valid
}

func main() {
	done := make(chan []int, 1)
	go func() { done <- Validate([]int{1, 2, 3, 4}) }()
	select {
	case v := <-done:
		fmt.Println("valid:", v)
	case <-time.After(100 * time.Millisecond):
		fmt.Println("Validate is still waiting for the goroutine that returned early")
	}
}
