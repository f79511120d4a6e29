package analyzer

import (
	"strings"
	"unicode"

	"golang.org/x/tools/go/ssa"
)

// providerRegistry returns the services a package provides by name: where
// one call passes three functions of the package or more whose names end
// in one word sequence naming a service ("…ServiceProvider", as
// Temporal's fx.Provide(HistoryServiceProvider, MatchingServiceProvider,
// FrontendServiceProvider, …) builds one fx application per service),
// each is the command named by what precedes that ending: history,
// matching, frontend, internal-frontend. nil when there is none.
func providerRegistry(sp *ssa.Package, funcs []*ssa.Function) map[string][]*ssa.Function {
	var best map[string][]*ssa.Function
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				site, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				var bySuffix map[string]map[string][]*ssa.Function // made on the first provider: most calls pass none
				for _, arg := range site.Common().Args {
					for _, v := range sliceElements(arg) {
						if mi, ok := v.(*ssa.MakeInterface); ok {
							v = mi.X
						}
						g, ok := v.(*ssa.Function)
						if !ok || g.Pkg != sp || g.Signature.Recv() != nil {
							continue
						}
						for _, suffix := range []string{"ServiceProvider", "ServerProvider", "ServiceModule"} {
							if prefix, ok := strings.CutSuffix(g.Name(), suffix); ok && prefix != "" {
								if bySuffix == nil {
									bySuffix = map[string]map[string][]*ssa.Function{}
								}
								if bySuffix[suffix] == nil {
									bySuffix[suffix] = map[string][]*ssa.Function{}
								}
								bySuffix[suffix][kebab(prefix)] = []*ssa.Function{g}
							}
						}
					}
				}
				for _, set := range bySuffix {
					if len(set) >= 3 && len(set) > len(best) {
						best = set
					}
				}
			}
		}
	}
	return best
}

// kebab turns an identifier into a command name: InternalFrontend →
// internal-frontend.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// sliceElements returns the values stored into the array a slice value
// is built on (the variadic arguments of a call), or v itself when it is
// no such slice.
func sliceElements(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return []ssa.Value{v}
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *alloc.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, w := range *ia.Referrers() {
			if st, ok := w.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// globalFuncs maps each of the module's package-level variables to what
// its initialisation names: the functions in the value its package's
// initialiser stores into it, and the other variables that value reads
// (history.Module = fx.Options(fx.Provide(ConfigProvider, …),
// workflow.Module, …)). A command reading such a variable runs what it
// holds.
func (p *Program) globalFuncs() map[*ssa.Global][]ssa.Value {
	out := map[*ssa.Global][]ssa.Value{}
	p.initStores(func(_ *ssa.Function, st *ssa.Store, g *ssa.Global) {
		seen := map[ssa.Value]bool{}
		var visit func(v ssa.Value, depth int)
		visit = func(v ssa.Value, depth int) {
			if v == nil || seen[v] || depth > 12 {
				return
			}
			seen[v] = true
			switch v := v.(type) {
			case *ssa.Function:
				out[g] = append(out[g], v)
				return
			case *ssa.Global:
				if v != g {
					out[g] = append(out[g], v)
				}
				return
			case *ssa.Slice:
				for _, e := range sliceElements(v) {
					visit(e, depth+1)
				}
				return
			}
			if instr, ok := v.(ssa.Instruction); ok {
				var ops []*ssa.Value
				for _, op := range instr.Operands(ops) {
					if op != nil {
						visit(*op, depth+1)
					}
				}
			}
		}
		visit(st.Val, 0)
	})
	return out
}

// initStores calls visit for every store of a package initialiser of the
// module into a package-level variable: what the variable holds once the
// program has started.
func (p *Program) initStores(visit func(init *ssa.Function, st *ssa.Store, g *ssa.Global)) {
	for _, fn := range p.Funcs() {
		if fn.Synthetic != "package initializer" {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if g, ok := st.Addr.(*ssa.Global); ok {
						visit(fn, st, g)
					}
				}
			}
		}
	}
}
