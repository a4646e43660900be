package support

// This file is copied when the validate and http emitters run and the model has
// profiles: the router option that checks declared profiles.

// RouterCheckProfiles makes the router check, on create and update, every profile a
// resource declares in meta.profile (ValidateDeclaredProfiles): one it breaks gets 422
// with an OperationOutcome of the issues, located with the element ids and profile URLs.
func RouterCheckProfiles() RouterOption {
	return RouterCheck(func(r Resource) []ServerIssue {
		var out []ServerIssue
		for _, i := range ValidateDeclaredProfiles(r) {
			si := ServerIssue{Severity: i.Severity, Code: i.Code, Diagnostics: i.Message + " (profile " + i.Profile + ")"}
			if i.Expression != "" {
				si.Expression = []string{i.Expression}
			}
			out = append(out, si)
		}
		return out
	})
}
