package p

type T struct{ a int }

func f(x T, ch chan int, done <-chan struct{}) (err error) {
	if x == (T{}) {
		return
	}
	if x := (T{a: 1}); x.a > 0 {
	}
	for _, v := range []T{{1}, {2}} {
		_ = v
	}
	for i := range [3]int{} {
		_ = i
	}
	switch y := (struct{ b int }{1}); y.b {
	case 1, 2:
		fallthrough
	default:
	}
	switch v := interface{}(x).(type) {
	case T, *T:
		_ = v
	case nil:
	}
	switch {
	}
	switch f := func() int { return T{}.a }; f() {
	}
outer:
	for {
		select {
		case v, ok := <-ch:
			_, _ = v, ok
			break outer
		case ch <- 1:
			continue outer
		case <-done:
			goto end
		default:
		}
	}
end:
	if err := g(); err != nil {
		return err
	} else if h() {
	} else {
	}
	{
		x := 1
		_ = x
	}
	;
	for ; ; {
		break
	}
	for x.a < 10 {
		x.a++
	}
	for i, j := 0, 10; i < j; i, j = i+1, j-1 {
	}
	return nil
}

func g() error { return nil }
func h() bool  { return false }
