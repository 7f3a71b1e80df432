// Leak (GL025): a buffered channel limits how many files are hashed at once;
// a file that cannot be opened returns without giving its slot back. After
// as many failures as there are slots, every later send blocks forever.
// Fix: `defer func() { <-sem }()` right after taking the slot.
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

var sem = make(chan struct{}, 2)

func hashFile(name string) (string, error) {
	sem <- struct{}{}
	f, err := os.Open(name)
	if err != nil {
		return "", err // the slot stays taken
	}
	defer f.Close()
	h := sha256.New()
	_, err = io.Copy(h, f)
	<-sem
	return fmt.Sprintf("%x", h.Sum(nil)), err
}

func main() {
	names := []string{"missing-1", "missing-2", "/etc/hostname"}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			sum, err := hashFile(n)
			fmt.Println(n, sum, err)
		}(n)
		time.Sleep(10 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(200 * time.Millisecond):
		fmt.Println("the third file waits for a slot nobody gives back")
	}
}
