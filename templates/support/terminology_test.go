package support

import "testing"

func TestTerminologyChecks(t *testing.T) {
	type tc struct {
		name  string
		check func(string) (bool, string)
		ok    []string
		bad   []string
	}
	for _, c := range []tc{
		{"language", checkLanguageTag,
			[]string{"en", "en-US", "de-CH-1901", "zh-Hant-TW", "sr-Latn-RS", "es-419", "x-private", "en-a-bbb-x-a-ccc",
				"i-klingon", "EN-gb", "zh-yue-HK", "sl-rozaj-biske", "en-GB-oed", "qaa", "hy-Latn-IT-arevela"},
			[]string{"", "e", "englishlanguage", "en_US", "en-", "-en", "de-1901-1901", "en-a-bbb-a-ccc",
				"en-a", "x", "en-US-x", "123", "en--US", "en US", "ébé"}},
		{"mime", checkMimeType,
			[]string{"application/fhir+json", "text/plain", "text/plain; charset=UTF-8", "image/svg+xml",
				"application/vnd.ms-excel", "multipart/form-data;boundary=\"x y\"", "application/x-www-form-urlencoded", "TEXT/HTML"},
			[]string{"", "bogus-code-xyz", "xml", "json", "text/", "/plain", "text/plain;", "bogus/xyz",
				"text/plain; charset", "text /plain", "image/jpg jpeg", "text/pl@in"}},
		{"currency", checkCurrency, []string{"EUR", "USD", "JPY", "CHF", "XAU"}, []string{"", "EURO", "eur", "XYZ", "US$"}},
		{"country", checkCountry, []string{"US", "NL", "DEU", "840", "AU"}, []string{"", "XX", "us", "USA1", "999"}},
		{"ucum", checkUCUM,
			[]string{"mg", "kg", "mm[Hg]", "mg/dL", "kg/m2", "10*3/uL", "/min", "{beats}/min", "%", "Cel", "[degF]",
				"mL/(kg.min)", "ug/(kg.h)", "1", "{score}", "m2", "s-1", "mmol/L", "[in_i]", "[IU]/L", "10^6", "kcal/d",
				"g.m-2", "dB", "[pH]", "mo", "a", "wk", "ng/mL{FEU}", "KiBy", "mL/min/{1.73_m2}"},
			[]string{"", "bogus", "mg/", "mg//dL", "(mg", "mg)", "m g", "kmm", "{unclosed", "mg/{a{b}}", "[in_i", "km[in_i]",
				"10**3", "mcg", "cc", "/"}},
	} {
		for _, s := range c.ok {
			if ok, why := c.check(s); !ok {
				t.Errorf("%s %q: rejected (%s), want accepted", c.name, s, why)
			}
		}
		for _, s := range c.bad {
			if ok, _ := c.check(s); ok {
				t.Errorf("%s %q: accepted, want rejected", c.name, s)
			} else if _, why := c.check(s); why == "" {
				t.Errorf("%s %q: rejected without a reason", c.name, s)
			}
		}
	}
}
