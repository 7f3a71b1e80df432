// GL003 lost-pointer-elements: q = q[1:] drops a job from the queue, but the
// backing array still points at it, so the job and its 1 MiB payload stay alive.
// Fix: clear the slot before reslicing: q[0] = nil; q = q[1:].
package main

import "fmt"

type job struct {
	id      int
	payload []byte
}

func main() {
	var q []*job
	for i := 0; i < 4; i++ {
		q = append(q, &job{id: i, payload: make([]byte, 1<<20)})
	}
	for len(q) > 0 {
		j := q[0]
		q = q[1:]
		fmt.Printf("processed job %d (%d bytes)\n", j.id, len(j.payload))
	}
}
