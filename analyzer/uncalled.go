package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// uncalledFuncs returns a predicate telling whether a function (or a
// closure inside it) is one no code of the analysed packages calls or
// names: with test files left out, test support (Vitess's
// syslogger.NewTestLogger and its Close, kept beside the code and swapping
// log.Error for a fake), or dead code. What it writes is written in no
// deployment, so it makes no variable mutable there. A method is uncalled
// only when nothing names it and no value of its type (or of a type
// embedding it) is converted to an interface, through which an importer or
// a dependency handed the value could call it. main, init and package
// initialisation are never uncalled. Only meaningful when the scan holds
// programs (see linkage): a library's exported functions are called by its
// importers.
func (p *Program) uncalledFuncs() func(*ssa.Function) bool {
	named := map[*ssa.Function]bool{}
	converted := map[*types.TypeName]bool{}
	var convert func(t types.Type, depth int)
	convert = func(t types.Type, depth int) {
		if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
			t = ptr.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		if !ok || converted[n.Origin().Obj()] || depth > 8 {
			return
		}
		converted[n.Origin().Obj()] = true
		if st, ok := n.Underlying().(*types.Struct); ok {
			for f := range st.Fields() {
				if f.Embedded() {
					convert(f.Type(), depth+1)
				}
			}
		}
	}
	for _, fn := range p.Funcs() {
		eachOperand(fn, func(instr ssa.Instruction, v ssa.Value) {
			if mi, ok := instr.(*ssa.MakeInterface); ok {
				convert(mi.X.Type(), 0) // MakeInterface has one operand: once per conversion
			}
			if g, ok := v.(*ssa.Function); ok {
				named[g] = true
				if o := g.Origin(); o != nil {
					named[o] = true
				}
			}
		})
	}
	return func(fn *ssa.Function) bool {
		fn = outermost(fn)
		if o := fn.Origin(); o != nil {
			fn = o
		}
		if fn.Synthetic != "" || fn.Name() == "main" || isInit(fn) || named[fn] {
			return false
		}
		recv := fn.Signature.Recv()
		if recv == nil {
			return true
		}
		t := recv.Type()
		if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
			t = ptr.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		return ok && !converted[n.Origin().Obj()]
	}
}
