package detect

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// flagPackages register command-line flags; their …Var functions bind a
// variable (here: a struct field) to a default.
var flagPackages = []string{"flag", "github.com/spf13/pflag"}

// noteCall records what replay needs from a call: its static callee's
// callers, and the defaults flags give struct fields.
func (d *pass) noteCall(caller *ssa.Function, instr ssa.Instruction) {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if d.p.FuncComponent(callee) != "" {
		d.callers[callee] = append(d.callers[callee], call)
		return
	}
	if callee.Pkg == nil || !slices.Contains(flagPackages, callee.Pkg.Pkg.Path()) {
		return
	}
	args := call.Call.Args
	if callee.Signature.Recv() != nil && len(args) > 0 {
		args = args[1:]
	}
	// StringVar(p, name, value, usage) and pflag's StringVarP(p, name, short, value, usage).
	def := 2
	if len(callee.Name()) > 3 && callee.Name()[len(callee.Name())-1] == 'P' {
		def = 3
	}
	if len(args) <= def {
		return
	}
	fa, ok := args[0].(*ssa.FieldAddr)
	if !ok {
		return
	}
	if f := fieldVar(fa.X.Type(), fa.Field); f != nil {
		r := d.resolve(args[def], 0)
		if r.exact {
			name, _ := d.str(args[1])
			r.note = "default of flag -" + name
			d.flagDefaults[f] = r
		}
	}
}

// replay runs the detectors again on the sites whose key was deferred:
// with flag defaults for struct fields, and once per static caller with
// the values that caller passes for the parameters.
func (d *pass) replay() {
	d.replaying, d.useDefaults = true, true
	defer func() { d.replaying, d.useDefaults, d.env = false, false, nil }()
	for _, s := range d.pending {
		var fn *ssa.Function
		if s.last.param != nil {
			fn = s.last.param.Parent()
		}
		calls := d.callers[fn]
		if len(calls) == 0 {
			s.detector(&s)
			continue
		}
		for _, c := range calls {
			d.env = d.bind(fn, c)
			s2 := s
			s2.pos = d.p.RelPos(c.Pos())
			s2.comp = d.p.FuncComponent(c.Parent())
			s2.via = "through " + funcName(fn) + " from " + funcName(c.Parent())
			s2.detector(&s2)
			d.env = nil
		}
	}
	d.pending = nil
}

// bind maps fn's parameters to what call passes, resolved in the caller.
func (d *pass) bind(fn *ssa.Function, call *ssa.Call) map[*ssa.Parameter]resolved {
	env := map[*ssa.Parameter]resolved{}
	for i, p := range fn.Params {
		if i < len(call.Call.Args) {
			env[p] = d.resolve(call.Call.Args[i], 0)
		}
	}
	return env
}
