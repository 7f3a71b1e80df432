package p

var _ = a+b-c*d/e%f&g|h^i<<j>>k&^l
func f() {
	a += 1; a -= 1; a *= 1; a /= 1; a %= 1; a &= 1; a |= 1; a ^= 1; a <<= 1; a >>= 1; a &^= 1
	_ = a && b || !c == d != e < f <= g > h >= i
	c <- <-c
	g(x...)
	type T[P ~int | ~string] struct{}
}
