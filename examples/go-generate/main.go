package main

import (
	"fmt"
	"os"

	"example.com/clinic/fhir"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clinic:", err)
		os.Exit(1)
	}
}

// run reads a ClinicNote, validates it and prints it back.
func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: clinic NOTE.json")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var n fhir.ClinicNote
	if err := n.UnmarshalJSON(data); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	out, err := n.MarshalJSON()
	if err != nil {
		return err
	}
	fmt.Printf("%s by %s: %s\n", n.Title, n.Author, out)
	return nil
}
