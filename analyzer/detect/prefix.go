package detect

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// groupCalls are the router methods that return a router for a sub-path:
// chi Route, gin and echo Group, gorilla/mux PathPrefix (with Subrouter).
var groupCalls = map[string]bool{"Group": true, "Route": true, "PathPrefix": true, "Subrouter": true, "With": true}

// prefixOf returns the path prefix of the router value v, following the
// group calls that made it and, for closures passed to chi's Route and
// Group, the call that received them. A router of unknown origin (a field,
// a parameter of a named function) has no prefix.
func prefixOf(d *pass, v ssa.Value, depth int) string {
	if v == nil || depth > maxDepth {
		return ""
	}
	switch v := v.(type) {
	case *ssa.ChangeType:
		return prefixOf(d, v.X, depth+1)
	case *ssa.MakeInterface:
		return prefixOf(d, v.X, depth+1)
	case *ssa.ChangeInterface:
		return prefixOf(d, v.X, depth+1)
	case *ssa.FieldAddr: // gin.Engine embeds RouterGroup
		return prefixOf(d, v.X, depth+1)
	case *ssa.Call:
		return callPrefix(d, v, depth)
	case *ssa.Parameter:
		return closurePrefix(d, v, depth)
	}
	return ""
}

func callPrefix(d *pass, c *ssa.Call, depth int) string {
	name := calleeName(c)
	if !groupCalls[name] {
		return ""
	}
	recv, args := c.Call.Value, c.Call.Args
	if !c.Call.IsInvoke() {
		if len(args) == 0 {
			return ""
		}
		recv, args = args[0], args[1:]
	}
	base := prefixOf(d, recv, depth+1)
	switch name {
	case "Subrouter", "With":
		return base
	}
	if len(args) == 0 {
		return base
	}
	if !isString(args[0].Type()) {
		return base // chi Group(fn) adds no path
	}
	p, exact := d.str(args[0])
	if !exact {
		return base // the group itself reported nothing; the route will be relative
	}
	return joinRoute(base, p)
}

// closurePrefix handles func(r chi.Router) { … } passed to r.Route(p, fn)
// or r.Group(fn): the parameter's prefix is that of the receiving call.
func closurePrefix(d *pass, param *ssa.Parameter, depth int) string {
	fn := param.Parent()
	if fn == nil || fn.Parent() == nil || len(fn.Params) == 0 || fn.Params[0] != param {
		return ""
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || !passes(c, fn) {
				continue
			}
			switch calleeName(c) {
			case "Route", "Group":
				return callPrefix(d, c, depth+1)
			}
		}
	}
	return ""
}

// passes reports whether call c takes fn (or a closure of it) as an argument.
func passes(c *ssa.Call, fn *ssa.Function) bool {
	for _, a := range c.Call.Args {
		if a == fn {
			return true
		}
		if mc, ok := a.(*ssa.MakeClosure); ok && mc.Fn == fn {
			return true
		}
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}
