// Package detect finds where the components of a Go program talk to each
// other other than by function calls: HTTP and gRPC servers and clients,
// message brokers, local sockets, executed binaries, named pipes and shared
// files, SQL tables and document collections; and where they implement
// governance concerns (retry, circuit breaking, rate limiting, auth,
// metrics, tracing, logging) in code.
//
// Each mechanism family is one detector with one entry point, called for
// every call instruction and every store into a struct field of the
// module's functions, in one pass over their SSA. A detector recognises
// the framework's functions by package path, receiver and name, resolves
// the string that ties both ends of the link (route, URL, topic, socket
// path, query) from constants, and emits a link.Fact. Strings are resolved
// through constants, package-level variables initialised to constants,
// concatenation, fmt.Sprintf with a constant format and path joins; parts
// that are not constant become "*". A key a detector needs but cannot
// resolve is reported as an "unresolved" diagnostic at its position, never
// guessed. Matching the ends into edges is link.Match, shared by all
// languages. Code in _test.go files is not deployed and is skipped.
package detect

import (
	"cmp"
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// detectors lists every mechanism family; each sees every site.
var detectors = []func(*site){
	detectHTTP,
	detectGRPC,
	detectBroker,
	detectIPC,
	detectSQL,
	detectData,
	detectGovernance,
}

// Run detects the links of res.Program and adds them to res.Graph through
// link.Match; it is Detect followed by link.Match. It returns the facts.
func Run(res *analyzer.Result) []link.Fact {
	facts := Detect(res)
	link.Match(res.Graph, facts)
	return facts
}

// Detect finds the facts of res.Program without matching them, so that a
// caller can add the facts of other languages and call link.Match once
// over all of them. It already marks governance components and adds the
// diagnostics for keys that are not constant to res.Graph.
func Detect(res *analyzer.Result) []link.Fact {
	d := newPass(res.Program, res.Graph)
	for _, fn := range d.p.Funcs() {
		if d.inTest(fn) {
			continue
		}
		d.function(fn)
	}
	d.replay()
	d.binaries()
	g := res.Graph
	d.governanceRoles(g)
	d.propagateGovernance(res.Sites, g)
	g.Diagnostics = append(g.Diagnostics, d.diags...)
	return d.sortedFacts()
}

// A pass holds the state of one detection run.
type pass struct {
	p     *analyzer.Program
	g     *graph.Graph
	facts []link.Fact
	diags []graph.Diagnostic
	// gov counts, per component, its top-level functions and those that
	// implement governance concerns.
	gov      map[string]*govCount
	govFuncs map[*ssa.Function][]string // top-level function → concerns
	concerns map[string]string          // package path → governance concern, cached
	globals  map[*ssa.Global]*resolved

	// Deferred resolution: sites whose key depends on a parameter or a
	// struct field are replayed after the pass, with the constants the
	// callers pass (env) and the defaults flags give fields.
	pending      []site
	callers      map[*ssa.Function][]*ssa.Call
	flagDefaults map[*types.Var]resolved
	env          map[*ssa.Parameter]resolved
	useDefaults  bool
	replaying    bool
}

func newPass(p *analyzer.Program, g *graph.Graph) *pass {
	return &pass{p: p, g: g, gov: map[string]*govCount{}, govFuncs: map[*ssa.Function][]string{},
		globals: map[*ssa.Global]*resolved{}, callers: map[*ssa.Function][]*ssa.Call{},
		flagDefaults: map[*types.Var]resolved{}, concerns: map[string]string{}}
}

func (d *pass) inTest(fn *ssa.Function) bool {
	if !fn.Pos().IsValid() {
		return false
	}
	return strings.HasSuffix(d.p.Fset.File(fn.Pos()).Name(), "_test.go")
}

// function runs every detector over the call and store instructions of fn.
func (d *pass) function(fn *ssa.Function) {
	d.countFunction(fn)
	comp := d.p.FuncComponent(fn)
	var s site
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if !d.initSite(&s, fn, comp, instr) {
				continue
			}
			d.noteCall(fn, instr)
			for _, detect := range detectors {
				s.detector, s.last = detect, resolved{}
				detect(&s)
			}
		}
	}
}

func (d *pass) add(f link.Fact) {
	f.Language = "go"
	d.facts = append(d.facts, f)
}

func (d *pass) diag(pos, format string, args ...any) {
	d.diags = append(d.diags, graph.Diagnostic{Pos: pos, Category: "unresolved", Message: fmt.Sprintf(format, args...)})
}

func (d *pass) sortedFacts() []link.Fact {
	slices.SortFunc(d.facts, func(a, b link.Fact) int {
		return cmp.Or(cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Mechanism, b.Mechanism),
			cmp.Compare(a.Role, b.Role), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Access, b.Access),
			cmp.Compare(a.Component, b.Component), cmp.Compare(a.Detail, b.Detail))
	})
	return slices.Compact(d.facts)
}
