package p

var x = "ÿş"
var Ãy = 1
var z = 'â‚'
// í €
