package sample

func a() {}

func b() {
	go func() {}()
}
