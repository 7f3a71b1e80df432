package p

var αβγ, ℕ, x٣, 日本 = 1, 2, 3, 4
var ٣ = 5
var € = 6
