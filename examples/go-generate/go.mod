module example.com/clinic

go 1.26.8

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/fhirgen/fhirgen v0.0.0 // indirect
	github.com/tidwall/gjson v1.20.2 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.3.0 // indirect
)

replace github.com/fhirgen/fhirgen => ../..

tool github.com/fhirgen/fhirgen/cmd/fhirgen
