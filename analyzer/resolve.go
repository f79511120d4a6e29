package analyzer

import (
	"cmp"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/callgraph"
	"golang.org/x/tools/go/callgraph/rta"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/podsplit/podsplit/graph"
)

// A resolver answers, per call site, which of the module's functions it may
// call. byType is true when the answer comes only from the method sets of the
// module's types (class hierarchy analysis) rather than from the algorithm.
type resolver func(site ssa.CallInstruction) (callees []*ssa.Function, byType bool)

// newResolver builds the resolver of the requested algorithm over the
// module's functions. VTA and RTA fall back to class hierarchy analysis at
// dynamic sites where they have no evidence at all: with dependencies loaded
// without bodies, no type flows into interface values that dependency code
// returns (dependency-injection containers, generic accessors, reflection),
// and those calls would otherwise be lost silently.
func (p *Program) newResolver(g *graph.Graph) resolver {
	funcs := p.Funcs()
	cha := newCHA(funcs)
	switch p.opts.Algo {
	case "static":
		return func(site ssa.CallInstruction) ([]*ssa.Function, bool) {
			if fn := site.Common().StaticCallee(); fn != nil {
				return []*ssa.Function{fn}, false
			}
			return nil, false
		}
	case "cha":
		return func(site ssa.CallInstruction) ([]*ssa.Function, bool) { return cha(site), false }
	case "rta":
		if cg := p.rtaGraph(funcs); cg != nil {
			return p.withFallback(graphCallees(cg), cha)
		}
		g.AddDiagnostic("", "callgraph", "rta needs roots (main, init or test functions) and found none; used cha")
		return func(site ssa.CallInstruction) ([]*ssa.Function, bool) { return cha(site), false }
	}
	set := make(map[*ssa.Function]bool, len(funcs))
	for _, fn := range funcs {
		set[fn] = true
	}
	return p.withFallback(graphCallees(vta.CallGraph(set, nil)), cha)
}

// withFallback answers with primary and, at interface calls where primary
// has no answer, with cha — for interfaces the module declares only. A
// module interface is the module's own seam: a value reaching it through
// code without bodies is what dependency injection does. An interface of a
// dependency (types.Type, io.Writer, http.Handler) is implemented by many
// module types that never reach that call; answering by type there links
// unrelated packages and invents cycles.
func (p *Program) withFallback(primary func(ssa.CallInstruction) []*ssa.Function, cha func(ssa.CallInstruction) []*ssa.Function) resolver {
	return func(site ssa.CallInstruction) ([]*ssa.Function, bool) {
		if fn := site.Common().StaticCallee(); fn != nil {
			return []*ssa.Function{fn}, false
		}
		call := site.Common()
		if got := primary(site); len(got) > 0 || !call.IsInvoke() || !p.moduleInterface(call.Value.Type()) {
			return got, false
		}
		got := cha(site)
		return got, len(got) > 0
	}
}

// moduleInterface reports whether an interface type is a named interface
// declared in the analysed module. Interface literals (duck-typed checks
// such as interface{ TypeParams() … }) and type parameters match unrelated
// types across the module, so they get no fallback either.
func (p *Program) moduleInterface(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && p.ComponentOf(named.Obj().Pkg().Path()) != ""
}

// graphCallees indexes a call graph by site.
func graphCallees(cg *callgraph.Graph) func(ssa.CallInstruction) []*ssa.Function {
	bySite := map[ssa.CallInstruction][]*ssa.Function{}
	for _, n := range cg.Nodes {
		for _, e := range n.Out {
			if e.Site != nil {
				bySite[e.Site] = append(bySite[e.Site], e.Callee.Func)
			}
		}
	}
	return func(site ssa.CallInstruction) []*ssa.Function { return bySite[site] }
}

// rtaGraph runs RTA from the module's main, init and Test functions.
func (p *Program) rtaGraph(funcs []*ssa.Function) *callgraph.Graph {
	var roots []*ssa.Function
	for _, fn := range funcs {
		if fn.Parent() != nil || fn.Signature.Recv() != nil {
			continue
		}
		name := fn.Name()
		isMain := name == "main" && fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
		if isMain || name == "init" || isTestFunc(fn) {
			roots = append(roots, fn)
		}
	}
	if len(roots) == 0 {
		return nil
	}
	return rta.Analyze(roots, true).CallGraph
}

func isTestFunc(fn *ssa.Function) bool {
	name := fn.Name()
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if len(name) > len(prefix) && name[:len(prefix)] == prefix && fn.Signature.Results().Len() == 0 {
			return true
		}
	}
	return false
}

// newCHA is class hierarchy analysis restricted to the module's functions:
// an interface call may reach every module method of that name whose
// receiver implements the interface; a call through a function value may
// reach every module function of identical signature whose value is taken
// somewhere (a function never used as a value cannot be called dynamically).
func newCHA(funcs []*ssa.Function) func(ssa.CallInstruction) []*ssa.Function {
	var bySig typeutil.Map
	methodsByID := map[string][]*ssa.Function{}
	taken := addressTaken(funcs)
	for _, fn := range funcs {
		if fn.Signature.Recv() == nil {
			if !taken[fn] {
				continue
			}
			list, _ := bySig.At(fn.Signature).([]*ssa.Function)
			bySig.Set(fn.Signature, append(list, fn))
		} else if obj, ok := fn.Object().(*types.Func); ok && fn.Synthetic == "" {
			methodsByID[obj.Id()] = append(methodsByID[obj.Id()], fn)
		}
	}
	type imethod struct {
		iface *types.Interface
		id    string
	}
	memo := map[imethod][]*ssa.Function{}
	return func(site ssa.CallInstruction) []*ssa.Function {
		call := site.Common()
		if fn := call.StaticCallee(); fn != nil {
			return []*ssa.Function{fn}
		}
		if !call.IsInvoke() {
			if _, builtin := call.Value.(*ssa.Builtin); builtin {
				return nil
			}
			list, _ := bySig.At(call.Signature()).([]*ssa.Function)
			return list
		}
		iface := call.Value.Type().Underlying().(*types.Interface)
		key := imethod{iface, call.Method.Id()}
		if got, ok := memo[key]; ok {
			return got
		}
		var got []*ssa.Function
		for _, fn := range methodsByID[key.id] {
			if types.Implements(fn.Signature.Recv().Type(), iface) {
				got = append(got, fn)
			}
		}
		memo[key] = got
		return got
	}
}

// addressTaken returns the functions used as values rather than called
// directly: closures, and functions passed, stored or returned.
func addressTaken(funcs []*ssa.Function) map[*ssa.Function]bool {
	taken := map[*ssa.Function]bool{}
	var ops []*ssa.Value
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var callee ssa.Value
				if call, ok := instr.(ssa.CallInstruction); ok && !call.Common().IsInvoke() {
					callee = call.Common().Value
				}
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					if op == nil {
						continue
					}
					if f, ok := (*op).(*ssa.Function); ok && *op != callee {
						taken[f] = true
					}
				}
			}
		}
	}
	return taken
}

// aggregationOrder returns the module's functions (Funcs) with twins put
// in an order of their content: go/ssa creates a synthetic wrapper
// (a bound method, an instantiation) once per package that needs it, so
// one source site can sit in several functions of the same name and
// position, whose order in Funcs is arbitrary. The aggregator counts a
// source site once, from the first function holding it; ordering twins
// by their instructions and what each call resolves to makes that choice,
// and the output, the same on every run.
func (p *Program) aggregationOrder(resolve resolver) []*ssa.Function {
	funcs := slices.Clone(p.Funcs())
	for i := 0; i < len(funcs); {
		j := i + 1
		for j < len(funcs) && funcs[j].String() == funcs[i].String() && funcs[j].Pos() == funcs[i].Pos() {
			j++
		}
		if j-i > 1 {
			prints := map[*ssa.Function]string{}
			for _, fn := range funcs[i:j] {
				prints[fn] = fingerprint(fn, resolve)
			}
			slices.SortStableFunc(funcs[i:j], func(a, b *ssa.Function) int { return cmp.Compare(prints[a], prints[b]) })
		}
		i = j
	}
	return funcs
}

// fingerprint describes a function by its synthetic kind, its
// instructions and the callees each call resolves to.
func fingerprint(fn *ssa.Function, resolve resolver) string {
	var b strings.Builder
	b.WriteString(fn.Synthetic)
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			b.WriteString("\n")
			b.WriteString(instr.String())
			if site, ok := instr.(ssa.CallInstruction); ok {
				callees, _ := resolve(site)
				names := make([]string, len(callees))
				for k, c := range callees {
					names[k] = c.String()
				}
				slices.Sort(names)
				b.WriteString(" → " + strings.Join(names, ","))
			}
		}
	}
	return b.String()
}
