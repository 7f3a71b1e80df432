// GL004 large-array-by-value: checksum takes a 64 KiB array by value, so each
// call copies the whole block onto the stack.
// Fix: pass a pointer (block *[blockSize]byte) or a slice (block []byte).
package main

import "fmt"

const blockSize = 64 * 1024

func checksum(block [blockSize]byte) uint32 {
	var sum uint32
	for i := range block {
		sum = sum*31 + uint32(block[i])
	}
	return sum
}

func main() {
	var block [blockSize]byte
	for i := range block {
		block[i] = byte(i)
	}
	fmt.Printf("checksum %08x\n", checksum(block))
}
