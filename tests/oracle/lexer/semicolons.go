package p

func f() {
	x := 1 /* a */ /* b */
	y := 2 /* a
	b */ z := 3
	return /* c */
	for {
		break
		continue
	}
	x++
	y--
	_ = []int{1}[0]
	_ = x /* c */ + y
}