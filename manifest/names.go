package manifest

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// Label keys of the Kubernetes recommended labels.
const (
	labelName      = "app.kubernetes.io/name"
	labelPartOf    = "app.kubernetes.io/part-of"
	labelComponent = "app.kubernetes.io/component"
	labelManagedBy = "app.kubernetes.io/managed-by"
	managedBy      = "podsplit"
)

// maxLabel is the longest DNS-1123 label.
const maxLabel = 63

// dnsLabel turns s into a DNS-1123 label: lower-case letters, digits and
// '-', starting with a letter and ending alphanumeric, at most n characters.
// A name that had to be shortened ends in a hash of the whole, so that two
// long names stay apart and the same name always gives the same label.
func dnsLabel(s string, n int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if b.Len() == 0 && r <= '9' {
				b.WriteString("x")
			}
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if out == "" {
		out = "x"
	}
	if len(out) <= n {
		return out
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	suffix := fmt.Sprintf("-%08x", h.Sum32())
	return strings.TrimRight(out[:n-len(suffix)], "-") + suffix
}

// name is the object name of a service or container.
func name(s string) string { return dnsLabel(s, maxLabel) }

// envName is the environment variable that holds the address of peer.
func envName(peer string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(peer) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" || s[0] <= '9' {
		s = "P_" + s
	}
	return s + "_ADDR"
}

// labels are the recommended labels of an object of unit.
func (b *builder) labels(unit, component string) map[string]string {
	return map[string]string{
		labelName:      unit,
		labelPartOf:    b.opts.PartOf,
		labelComponent: component,
		labelManagedBy: managedBy,
	}
}

// selector picks the Pods of unit. It holds only labels that never change
// for a unit, because a Deployment's selector cannot change once applied.
func (b *builder) selector(unit string) map[string]string {
	return map[string]string{labelName: unit, labelPartOf: b.opts.PartOf}
}

// fileName is the file of one object in a step directory.
func fileName(kind, objName string) string {
	return strings.ToLower(kind) + "-" + objName + ".yaml"
}
