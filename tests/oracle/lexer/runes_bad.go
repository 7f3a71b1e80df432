package p

var a = 'ab'
var b = ''
var c = '
var d = '\u12'
