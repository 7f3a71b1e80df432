package p

func f() {
	x := 1 // c
	_ = x
}
