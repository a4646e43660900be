package fhir

// ServerParamsOf exposes the router's parameter definitions by resource type to the fuzz
// tests of the search-parameter parser.
var ServerParamsOf = srvParamsOf
