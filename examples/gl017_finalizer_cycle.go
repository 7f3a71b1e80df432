// GL017 finalizer-cycle: newPair links two nodes to each other and sets a
// finalizer on one; an object with a finalizer in a cycle is never freed.
// Fix: break the cycle, or put the finalizer on an object outside of it.
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

type node struct {
	name string
	peer *node
}

var finalized atomic.Int32

func newPair() *node {
	a := &node{name: "a"}
	b := &node{name: "b"}
	a.peer = b
	b.peer = a
	runtime.SetFinalizer(a, func(n *node) { finalized.Add(1) })
	return a
}

func main() {
	for i := 0; i < 100; i++ {
		newPair()
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	runtime.GC()
	fmt.Println("finalizers run:", finalized.Load(), "of 100")
}
