package p

type A [N]int
type B [N * 2]int
type C[P any] struct{ x P }
type D[P *T,] struct{}
type E[P *[]int] struct{}
type F[P interface{ ~int | ~string }, Q comparable] map[P]Q
type G[P ~int | float64] []P
type H[P (C), Q any] int
type I[P any] = J[P]
type K [P(C)]int
type L[P []E] []P
type M[P *E | F] struct{}

func Map[K comparable, V any](m map[K]V, f func(V) V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

func (c *C[P]) Get() P { return c.x }

func use() {
	_ = Map[string, int](nil, func(v int) int { return v })
	_ = C[int]{x: 1}
	var _ F[int, string]
	_ = []C[int]{{x: 1}, {x: 2}}
	x := G[int]{1, 2}
	_ = x
}

type Number interface {
	~int | ~int64 | ~float64
	String() string
}
