package generator

import (
	"bufio"
	"os"

	"github.com/fhirgen/fhirgen/generator/emit"
)

// Version is fhirgen's version, printed by `fhirgen version`.
const Version = "v0.4.0"

// VersionLine is the second line of every generated file. It says which fhirgen wrote the
// file; `fhirgen check` and PlanWrite compare files without it.
const VersionLine = "// fhirgen " + Version

// IsGeneratedFile reports whether the file at path starts with fhirgen's header line.
func IsGeneratedFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	line, _, _ := bufio.NewReader(f).ReadLine()
	return string(line) == "// "+emit.Header
}
