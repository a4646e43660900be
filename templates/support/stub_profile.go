package support

// Stand-ins for what a generated package defines itself (never copied; see
// emit.CopyPackage): the FHIRPath runtime's environment, the Extension type, and the
// helpers the validate emitter writes from the model for the profile runtime.

// FHIRPathEnv stands in for the FHIRPath runtime's environment.
type FHIRPathEnv struct {
	Resource, RootResource any
	Resolve                func(ref string) any
}

// Extension stands in for the generated Extension type.
type Extension struct {
	URL   string
	Value ExtensionValue
}

// ExtensionValue stands in for the generated choice Extension.value[x].
type ExtensionValue interface{ isExtensionValue() }

func declaredProfiles(Resource) []string        { return nil }
func profileResolver(Resource) func(string) any { return nil }
