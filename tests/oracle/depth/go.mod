module goleak.test/depth

go 1.19
