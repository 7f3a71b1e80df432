package p

var a = 1 # 2 $ 3 ? 4 @
var b = \   
