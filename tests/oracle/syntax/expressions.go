package p

import (
	"fmt"
	t "time"
)

var (
	a = []byte("x")[0:1:1]
	b = (*int)(nil)
	c = <-make(chan int)
	d = func() {}
	e = (func())(nil)
	f = map[string][]int{"a": {1, 2}, "b": nil}
	g = struct{ x, y int }{1, 2}
	h = [...]string{2: "c", 0: "a"}
	i = interface{}(nil)
	j = chan<- int(nil)
	k = <-chan int(nil)
	l = fmt.Sprintf("%d", len([]int{1}))
	m = t.Now().Add(t.Second).Unix()
	n = -+^!x
	o = *&y
	p = a[1:] + b[:2] + c[:]
	q = x.(fmt.Stringer).String()
	r = [unsafe.Sizeof(x)]byte{}
	s = f1()()()
)

func variadic(xs ...int) { variadic(xs...) }

func methods() {
	fn := T.Method
	fn2 := (*T).Method
	_, _ = fn, fn2
	var ch chan (<-chan int)
	var ch2 <-chan <-chan int
	var ch3 chan<- chan int
	_, _, _ = ch, ch2, ch3
	defer func() { recover() }()
	go fmt.Println(1)
	defer wg.Done()
}
