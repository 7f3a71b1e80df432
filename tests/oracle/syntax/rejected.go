package p

func f() {
	x := 
	go g
	defer (h)
	a.b := 1
	if {
	}
	for a, b, c := range x {
	}
	var y = [...]int
}
