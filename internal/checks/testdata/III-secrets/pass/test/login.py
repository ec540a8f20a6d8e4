password = "made-up-for-tests"
