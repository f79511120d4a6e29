package analyzer

import (
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// wiring finds what dependency-injection frameworks run (Uber's fx and
// dig, Cilium's hive): a package-level variable whose initialiser hands
// functions to a dependency (var Cell = cell.Module("…",
// cell.Provide(newManager)), var Module = fx.Options(fx.Provide(New))).
// The framework calls those functions for whoever reads the variable
// (hive.New(endpointmanager.Cell, …)); its body is not analysed, so no
// call-graph algorithm sees the call, yet the reader's program runs them
// in its process as surely as if it called them itself.
type wiring struct {
	// held maps a variable to the functions of its own component its
	// initialiser hands to a dependency, including through other
	// variables of its package; for a variable that only composes other
	// packages' wiring variables, its package's initialiser.
	held map[*ssa.Global][]*ssa.Function
	// hands are the handings of another component's functions: the
	// initialiser composing them depends on them as on what it calls.
	hands []hand
}

// A hand is one call in a package initialiser handing functions of other
// components to a dependency (fx.Provide(handler.New)).
type hand struct {
	init  *ssa.Function
	pos   token.Pos
	to    string // the dependency's function: hive.Provide
	funcs []*ssa.Function
}

// newWiring reads every package initialiser of the module. Variables
// written after initialisation (mut) hold state, not wiring.
func (p *Program) newWiring(mut map[*ssa.Global]bool) *wiring {
	direct := map[*ssa.Global][]*ssa.Function{}
	locals := map[*ssa.Global][]*ssa.Global{}
	foreign := map[*ssa.Global][]*ssa.Global{}
	handing := map[*ssa.Global]bool{}
	byPos := map[token.Pos]*hand{}
	via := map[token.Pos]string{}
	var hands []*hand
	p.initStores(func(fn *ssa.Function, st *ssa.Store, g *ssa.Global) {
		if mut[g] || g.Pkg != fn.Pkg {
			return
		}
		own := p.ComponentOf(g.Pkg.Pkg.Path())
		seen := map[ssa.Value]bool{}
		var visit func(v ssa.Value, at token.Pos, depth int)
		visit = func(v ssa.Value, at token.Pos, depth int) {
			handed := at.IsValid()
			if v == nil || seen[v] || depth > 16 {
				return
			}
			seen[v] = true
			switch v := v.(type) {
			case *ssa.Function:
				to := p.FuncComponent(v)
				switch {
				case !handed || to == "":
				case to == own:
					direct[g] = append(direct[g], p.declared(v))
				default:
					h := byPos[at]
					if h == nil {
						h = &hand{init: fn, pos: at, to: via[at]}
						byPos[at] = h
						hands = append(hands, h)
					}
					h.funcs = append(h.funcs, p.declared(v))
					handing[g] = true
				}
				return
			case *ssa.MakeClosure:
				if fv := p.funcValue(v); fv != nil {
					visit(fv, at, depth+1)
				} else {
					visit(v.Fn, at, depth+1)
				}
				return
			case *ssa.Global:
				switch {
				case v == g:
				case v.Pkg == g.Pkg:
					locals[g] = append(locals[g], v)
				case p.ComponentOf(v.Pkg.Pkg.Path()) != "":
					foreign[g] = append(foreign[g], v)
				}
				return
			case *ssa.Slice:
				for _, e := range sliceElements(v) {
					visit(e, at, depth+1)
				}
				return
			case *ssa.Call:
				// Only what is passed to a call counts, and it
				// is handed on once the callee is a dependency's.
				if callee := v.Call.StaticCallee(); callee != nil && len(callee.Blocks) == 0 && v.Pos().IsValid() {
					at = v.Pos()
					via[at] = shortName(callee)
				}
				for _, arg := range v.Call.Args {
					visit(arg, at, depth+1)
				}
				return
			}
			if instr, ok := v.(ssa.Instruction); ok {
				var ops []*ssa.Value
				for _, op := range instr.Operands(ops) {
					if op != nil {
						visit(*op, at, depth+1)
					}
				}
			}
		}
		visit(st.Val, token.NoPos, 0)
	})
	w := &wiring{held: map[*ssa.Global][]*ssa.Function{}}
	for _, h := range hands {
		h.funcs = dedupeFuncs(h.funcs)
		w.hands = append(w.hands, *h)
	}
	// A variable wires when its initialiser hands functions to a
	// dependency, or composes variables that wire, its package's or
	// others' (datapath.Cell = cell.Module(…, devices.Cell)).
	closure := func(g *ssa.Global) (funcs []*ssa.Function) {
		seen := map[*ssa.Global]bool{}
		var walk func(*ssa.Global)
		walk = func(x *ssa.Global) {
			if seen[x] {
				return
			}
			seen[x] = true
			funcs = append(funcs, direct[x]...)
			for _, y := range locals[x] {
				walk(y)
			}
		}
		walk(g)
		return funcs
	}
	wires := map[*ssa.Global]bool{}
	for g := range direct {
		wires[g] = true
	}
	for g := range handing {
		wires[g] = true
	}
	for changed := true; changed; {
		changed = false
		for _, m := range []map[*ssa.Global][]*ssa.Global{locals, foreign} {
			for g, refs := range m {
				if !wires[g] && slices.ContainsFunc(refs, func(x *ssa.Global) bool { return wires[x] }) {
					wires[g], changed = true, true
				}
			}
		}
	}
	for g := range wires {
		funcs := closure(g)
		if len(funcs) == 0 {
			// What it composes is other packages': the reader runs
			// them through this package's initialiser.
			if init := g.Pkg.Func("init"); init != nil {
				funcs = []*ssa.Function{init}
			}
		}
		if len(funcs) > 0 {
			w.held[g] = dedupeFuncs(funcs)
		}
	}
	return w
}

// wired records a read, in caller, of a variable of another component that
// wires functions: a call of each held function outside the caller's
// component. Reads in a package initialiser count: composing the
// variables of other packages into one's own is where such programs are
// put together.
func (a *aggregator) wired(w *wiring, caller *ssa.Function, instr ssa.Instruction) *Site {
	load, ok := instr.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	g, ok := load.X.(*ssa.Global)
	if !ok {
		return nil
	}
	fns := w.held[g]
	from := a.p.FuncComponent(caller)
	if len(fns) == 0 || from == "" || a.p.ComponentOf(g.Pkg.Pkg.Path()) == from || !load.Pos().IsValid() {
		return nil
	}
	return a.wire(caller, load.Pos(), fns, "wired through "+g.Pkg.Pkg.Name()+"."+g.Name())
}

// wire records one site of caller at pos running fns through a framework.
func (a *aggregator) wire(caller *ssa.Function, at token.Pos, fns []*ssa.Function, note string) *Site {
	from := a.p.FuncComponent(caller)
	var cross []*ssa.Function
	for _, fn := range fns {
		if to := a.p.FuncComponent(fn); to != "" && to != from {
			cross = append(cross, fn)
		}
	}
	if len(cross) == 0 || a.p.IsGenerated(at) {
		return nil
	}
	pos := a.p.Fset.Position(at)
	key := fmt.Sprintf("wired %s:%d:%d", pos.Filename, pos.Line, pos.Column)
	if a.seen[key] {
		return nil
	}
	a.seen[key] = true
	s := &Site{Pos: pos, RelPos: a.p.relPosition(pos), Caller: caller, Callees: dedupeFuncs(cross), From: from, Wired: true, bodies: cross}
	a.addAll(s, note)
	return s
}

// hands records the initialisers handing other components' functions to
// a dependency, one site per handing call.
func (a *aggregator) hands(w *wiring) []*Site {
	var out []*Site
	for _, h := range w.hands {
		if s := a.wire(h.init, h.pos, h.funcs, "wired: handed to "+h.to); s != nil {
			out = append(out, s)
		}
	}
	return out
}
