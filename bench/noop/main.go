// Command noop only exits: make bench times it, built as twelve is, as the
// start-up of any Go program on the machine.
package main

func main() {}
