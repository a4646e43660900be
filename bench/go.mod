module github.com/fhirgen/fhirgen/bench

go 1.26.8

require (
	github.com/google/fhir/go v0.7.4
	github.com/samply/golang-fhir-models/fhir-models v0.3.2
	google.golang.org/protobuf v1.25.0
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/tidwall/gjson v1.20.2 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.3.0 // indirect
)

require (
	bitbucket.org/creachadair/stringset v0.0.9 // indirect
	github.com/fhirgen/fhirgen v0.0.0 // indirect
	github.com/golang/protobuf v1.4.3 // indirect
	github.com/json-iterator/go v1.1.10 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.1 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/serenize/snaker v0.0.0-20201027110005-a7ad2135616e // indirect
)

replace github.com/fhirgen/fhirgen => ../

tool github.com/fhirgen/fhirgen/cmd/fhirgen
