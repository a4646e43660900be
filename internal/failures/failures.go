// Package failures reports long lists of failures in tests: sorted, and cut after a
// number with a count of the rest, so one broken corpus does not bury the test log.
package failures

import (
	"sort"
	"testing"
)

// Report reports each of list (sorted in place) as a test error, prefix first, and past
// the first max only how many more there are.
func Report(tb testing.TB, list []string, max int, prefix string) {
	tb.Helper()
	sort.Strings(list)
	for i, f := range list {
		if i >= max {
			tb.Errorf("... and %d more", len(list)-i)
			return
		}
		tb.Errorf("%s%s", prefix, f)
	}
}
