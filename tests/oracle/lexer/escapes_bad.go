package p

var a = "\q\x4\400\uD800\U00110000\8"
var b = '\'
var c = '\x'
var d = "\