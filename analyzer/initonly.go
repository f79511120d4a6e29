package analyzer

import "golang.org/x/tools/go/ssa"

// initOnly returns the module's functions that run only while packages
// initialise: called, and only by direct calls, from init functions or
// from other such functions, and never used as a value (a function value
// handed on, a method reached through an interface) that something else
// could call later. A registry filled by a Register function that only the
// package's init calls (Mimir's functions.RegisterFunction, called for
// every PromQL function from init) is a lookup table once the program
// runs, like one filled in init itself: what those functions write is not
// mutable state (see mutableGlobals).
func (p *Program) initOnly() map[*ssa.Function]bool {
	callers := map[*ssa.Function][]*ssa.Function{}
	escapes := map[*ssa.Function]bool{}
	var ops []*ssa.Value
	for _, fn := range p.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					if callee := call.Common().StaticCallee(); callee != nil {
						callers[callee] = append(callers[callee], fn)
					}
				}
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					if op == nil {
						continue
					}
					if f, ok := (*op).(*ssa.Function); ok && !isCallValue(instr, f) {
						escapes[f] = true
					}
				}
			}
		}
	}
	only := map[*ssa.Function]bool{}
	for fn, cs := range callers {
		if !escapes[fn] && fn.Signature.Recv() == nil && fn.Parent() == nil && !isInit(fn) && len(cs) > 0 {
			only[fn] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for fn := range only {
			for _, c := range callers[fn] {
				if c == fn || !atInit(c, only) {
					delete(only, fn)
					changed = true
					break
				}
			}
		}
	}
	return only
}

// isCallValue reports whether f is the function instr calls, rather than
// an argument it passes.
func isCallValue(instr ssa.Instruction, f *ssa.Function) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok || call.Common().Value != f {
		return false
	}
	for _, a := range call.Common().Args {
		if a == f {
			return false
		}
	}
	return true
}

// atInit reports whether fn, or the function it is declared in, runs only
// during package initialisation, given initOnly's set.
func atInit(fn *ssa.Function, only map[*ssa.Function]bool) bool {
	return isInit(fn) || only[outermost(fn)]
}
