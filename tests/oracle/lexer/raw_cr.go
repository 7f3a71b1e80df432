package p

var s = `a
b
`
var t = ``
