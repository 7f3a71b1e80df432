package p

import "fmt"
import _ "embed"
import . "strings"

const (
	A = iota
	B
	C, D = 1, 2
)

var x, y int
var z = 1

type (
	S struct {
		a, b int
		fmt.Stringer
		*T
		c []int `json:"c"`
		f func(int) (string, error)
		g struct{ h int }
	}
	I interface {
		M(int) string
		fmt.Stringer
		N(a, b int, c ...string) (d int, err error)
	}
	Fn func(a, b int) int
	Alias = S
)

func (S) Value()             {}
func (s S) Value2() int       { return s.a }
func (s *S) Ptr(x, y int)     {}
func external(x int) int
func multi() (int, string)    { return 0, "" }
func named() (a, b int)       { return }
func unnamed(int, string)     {}
func mixed(a int, b ...string) {}
