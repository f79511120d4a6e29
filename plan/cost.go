package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// overhead is the fixed cost of one call over a tier, in µs.
func (m CostModel) overhead(tier string) float64 {
	switch tier {
	case TierPod:
		return m.PodUS
	case TierNetwork:
		return m.NetworkUS
	}
	return m.ProcessUS
}

// callUS is the cost of one call over a tier: its overhead plus the time to
// serialise its arguments and results (nothing in process).
func (m CostModel) callUS(tier string, bytes int) float64 {
	if tier == TierProcess || m.BytesPerUS <= 0 {
		return m.overhead(tier)
	}
	return m.overhead(tier) + float64(bytes)/m.BytesPerUS
}

// perRequest turns a runtime call count into calls per request.
func (m CostModel) perRequest(calls float64) float64 {
	if m.Requests > 0 {
		return calls / m.Requests
	}
	return calls
}

// traffic is the cost of the calls between two components if they were
// put a tier apart.
type traffic struct {
	calls   float64 // per request
	bytes   int     // per call, averaged over callees
	runtime bool    // measured rather than one call per static site
}

// trafficOf sums the call edges given (callbacks included: each is a real
// crossing; code reuse left out: the caller links what it calls) into calls
// per request and bytes per call. Runtime counts are
// used when any edge was observed; otherwise every call site is taken to run
// once per request.
func trafficOf(m CostModel, edges []*graph.Edge) traffic {
	var t traffic
	for _, e := range edges {
		if e.Kind == graph.KindCall && e.Runtime > 0 {
			t.runtime = true
		}
	}
	var weighted float64
	for _, e := range edges {
		if e.Kind != graph.KindCall || e.Reuse() {
			continue
		}
		n := float64(e.Static)
		if t.runtime {
			n = m.perRequest(float64(e.Runtime))
		}
		t.calls += n
		weighted += n * float64(edgeBytes(e))
	}
	if t.calls > 0 {
		t.bytes = int(weighted / t.calls)
	}
	return t
}

// us is the added time per request of the traffic over a tier.
func (t traffic) us(m CostModel, tier string) float64 {
	return t.calls * m.callUS(tier, t.bytes)
}

// edgeBytes is the bytes per call of an edge, averaged over its callees
// weighted by their runtime counts (or call sites).
func edgeBytes(e *graph.Edge) int {
	var n, sum float64
	for _, c := range e.Callees {
		w := float64(c.Sites)
		if c.Runtime > 0 {
			w = float64(c.Runtime)
		}
		w = max(w, 1)
		n += w
		sum += w * float64(signatureBytes(c.Signature))
	}
	if n == 0 {
		return 64
	}
	return int(sum / n)
}

// signatureBytes estimates the bytes that one call of a Go signature moves:
// its parameters and results, sized by type (see typeBytes).
func signatureBytes(sig string) int {
	params, results := splitSignature(sig)
	total := 0
	for _, list := range []string{params, results} {
		for _, p := range splitTop(list) {
			total += typeBytes(paramType(p))
		}
	}
	return total
}

// splitSignature returns the parameter list and the result list of a
// signature as written by go/types: "func (*T).M(a int) (string, error)",
// "func F(x []byte) error" or "func(tx *sql.Tx) error".
func splitSignature(sig string) (params, results string) {
	s := strings.TrimSpace(strings.TrimPrefix(sig, "func"))
	if strings.HasPrefix(s, "(") {
		if end := matchParen(s, 0); end > 0 && end+1 < len(s) && s[end+1] == '.' {
			s = s[end+2:] // skip the receiver of "(*T).M"
		}
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return "", ""
	}
	end := matchParen(s, open)
	if end < 0 {
		return "", ""
	}
	params = s[open+1 : end]
	results = strings.TrimSpace(s[end+1:])
	if strings.HasPrefix(results, "(") && matchParen(results, 0) == len(results)-1 {
		results = results[1 : len(results)-1]
	}
	return params, results
}

// matchParen returns the index of the bracket closing the one at i, or -1.
func matchParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// splitTop splits a list on the commas outside brackets.
func splitTop(list string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(list[start:i]))
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(list[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// paramType drops the name of a parameter: "ctx context.Context" → the type.
func paramType(p string) string {
	name, rest, ok := strings.Cut(p, " ")
	if !ok || strings.ContainsAny(name, "*[](.") || name == "chan" || name == "func" || name == "map" || name == "struct" {
		return p
	}
	return strings.TrimSpace(rest)
}

// Sizes assumed for values whose length the types do not tell.
const (
	stringBytes  = 32  // a short identifier or name
	elemsPerList = 8   // elements of a slice or entries of a map
	opaqueBytes  = 64  // a struct or interface value whose fields are not known here
	bytesBytes   = 256 // a []byte payload
)

// typeBytes estimates the serialised size of a value of a Go type written
// as text. Contexts travel as a few headers and count nothing; channels and
// functions cannot travel at all and count nothing here (they are reported
// as non-serialisable elsewhere).
func typeBytes(t string) int {
	t = strings.TrimSpace(t)
	if rest, ok := strings.CutPrefix(t, "..."); ok {
		t = "[]" + rest // a variadic parameter is a slice
	}
	switch {
	case t == "":
		return 0
	case strings.HasPrefix(t, "*"):
		return typeBytes(t[1:])
	case t == "[]byte" || t == "[]uint8":
		return bytesBytes
	case strings.HasPrefix(t, "[]"):
		return 8 + elemsPerList*typeBytes(t[2:])
	case strings.HasPrefix(t, "["):
		return arrayBytes(t)
	case strings.HasPrefix(t, "map["):
		end := matchParen(t, 3)
		if end < 0 {
			return opaqueBytes
		}
		return elemsPerList * (typeBytes(t[4:end]) + typeBytes(t[end+1:]))
	case strings.HasPrefix(t, "chan") || strings.HasPrefix(t, "<-chan") || strings.HasPrefix(t, "func"):
		return 0
	case strings.HasPrefix(t, "struct{"):
		total := 0
		for _, f := range strings.Split(strings.TrimSuffix(t[len("struct{"):], "}"), ";") {
			total += typeBytes(paramType(strings.TrimSpace(f)))
		}
		return total
	}
	if n, ok := basicBytes[t[strings.LastIndexAny(t, "/")+1:]]; ok {
		return n
	}
	return opaqueBytes
}

func arrayBytes(t string) int {
	end := strings.IndexByte(t, ']')
	n, err := strconv.Atoi(t[1:end])
	if err != nil {
		return opaqueBytes
	}
	return min(n*typeBytes(t[end+1:]), 1<<12)
}

var basicBytes = map[string]int{
	"bool": 1, "int8": 1, "uint8": 1, "byte": 1, "int16": 2, "uint16": 2,
	"int32": 4, "uint32": 4, "rune": 4, "float32": 4,
	"int": 8, "uint": 8, "int64": 8, "uint64": 8, "uintptr": 8, "float64": 8,
	"complex64": 8, "complex128": 16,
	"string": stringBytes, "error": stringBytes, "any": opaqueBytes, "interface{}": opaqueBytes,
	"context.Context": 0, "time.Time": 15, "time.Duration": 8,
}

// formatUS prints a duration given in µs the way people read latencies,
// to three significant digits: "0.16µs", "30µs", "30.2ms", "3.62s".
func formatUS(us float64) string {
	switch {
	case us < 1:
		return fmt.Sprintf("%.2fµs", us)
	case us < 1000:
		return fmt.Sprintf("%.0fµs", us)
	case us < 1e6:
		return strconv.FormatFloat(us/1e3, 'g', 3, 64) + "ms"
	}
	return strconv.FormatFloat(us/1e6, 'g', 3, 64) + "s"
}
