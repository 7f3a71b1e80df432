package p

var a = 09 + 0b12 + 0o8 + 0x + 0b
var b = 1__0 + 1_ + 0x_ + 1e + 1e+
var c = 0x1.0 + 0b1.0 + 1p3 + 0o1e3 + 0x1p
var d = 0_x1 + 0b_1 + 0._1 + 1._ + 0x1_p2
