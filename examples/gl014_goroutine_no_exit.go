// GL014 goroutine-no-exit: startHeartbeat launches a goroutine whose `for {}`
// loop has no way out, so every call leaves one goroutine running forever.
// Fix: give it a context (or done channel) and `case <-ctx.Done(): return`.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

var beats atomic.Int64

func startHeartbeat(every time.Duration) {
	go func() {
		for {
			time.Sleep(every)
			beats.Add(1)
		}
	}()
}

func main() {
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		startHeartbeat(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	fmt.Printf("goroutines: %d before, %d after (%d beats)\n",
		before, runtime.NumGoroutine(), beats.Load())
}
