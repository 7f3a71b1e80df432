// GL003 lost-pointer-elements: pop drops a job from the queue with
// q.jobs = q.jobs[1:], but the backing array still points at it, so the job
// and its 1 MiB payload stay alive as long as the queue does.
// Fix: clear the slot before reslicing: q.jobs[0] = nil; q.jobs = q.jobs[1:].
package main

import "fmt"

type job struct {
	id      int
	payload []byte
}

type queue struct {
	jobs []*job
}

func (q *queue) push(j *job) {
	q.jobs = append(q.jobs, j)
}

func (q *queue) pop() *job {
	j := q.jobs[0]
	q.jobs = q.jobs[1:]
	return j
}

// work lives as long as the program: what its backing array points to too.
var work queue

func main() {
	q := &work
	for i := 0; i < 4; i++ {
		q.push(&job{id: i, payload: make([]byte, 1<<20)})
	}
	for len(q.jobs) > 0 {
		j := q.pop()
		fmt.Printf("processed job %d (%d bytes)\n", j.id, len(j.payload))
	}
}
