package p

var x = y // tail