module goleak.bench/goref

go 1.19
