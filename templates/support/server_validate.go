package support

// This file is copied only when both the validate and the http emitters run: it lets the
// router report a ValidationError issue by issue.

// ServerIssues returns the issues for the generated HTTP router, which answers a failed
// validation with 422 and one OperationOutcome issue per issue found.
func (e *ValidationError) ServerIssues() []ServerIssue {
	out := make([]ServerIssue, 0, len(e.Issues))
	for _, i := range e.Issues {
		si := ServerIssue{Severity: i.Severity, Code: i.Code, Diagnostics: i.Message}
		if i.Expression != "" {
			si.Expression = []string{i.Expression}
		}
		out = append(out, si)
	}
	return out
}
