package p

var a = 0 + 123 + 0x1F + 0X_1f + 0o17 + 0O17 + 017 + 0b101 + 0B1 + 1_000
var b = 1. + .5 + 1e3 + 1E+3 + 1.5e-3 + 0x1p-2 + 0x1.8P3 + 0x.8p1 + 09.5 + 00.5
var c = 1i + 1.5i + 0x1p2i + 0b1i + 0o7i + 017i + 1e2i + .5i
