package p

/* a
b */ */
var x = 1 // c
/**/
