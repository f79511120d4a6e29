package analyzer

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// nonSerializable lists the parameters and results of fn that cannot cross a
// process boundary as they are: channels, functions, unsafe pointers, sync
// primitives, I/O streams, open files, behaviour-carrying interfaces,
// contexts whose values the callee reads, and pointers the callee mutates
// through. byType memoises unserializable's verdict per type (a verdict
// depends on the type alone), as signatures repeat their types.
func nonSerializable(fn *ssa.Function, byType map[types.Type]string) []string {
	judge := func(t types.Type) string {
		why, ok := byType[t]
		if !ok {
			why = unserializable(t, map[types.Type]bool{})
			byType[t] = why
		}
		return why
	}
	fn = origin(fn)
	sig := fn.Signature
	var out []string
	for i := range sig.Params().Len() {
		v := sig.Params().At(i)
		if why := judge(v.Type()); why != "" {
			out = append(out, fmt.Sprintf("%s %s: %s", paramName(v, i), typeString(v.Type()), why))
			continue
		}
		if why := paramMisuse(fn, i, v.Type()); why != "" {
			out = append(out, fmt.Sprintf("%s %s: %s", paramName(v, i), typeString(v.Type()), why))
		}
	}
	for i := range sig.Results().Len() {
		v := sig.Results().At(i)
		if why := judge(v.Type()); why != "" {
			out = append(out, fmt.Sprintf("result %s: %s", typeString(v.Type()), why))
		}
	}
	return out
}

func paramName(v *types.Var, i int) string {
	if v.Name() != "" && v.Name() != "_" {
		return v.Name()
	}
	return fmt.Sprintf("arg%d", i)
}

func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// unserializable says why a value of type t cannot be copied into another
// process, or "" if it can.
func unserializable(t types.Type, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil {
		switch pkg, name := named.Obj().Pkg().Path(), named.Obj().Name(); {
		case pkg == "sync" || pkg == "sync/atomic":
			return "sync." + name + " is a synchronisation primitive"
		case pkg == "os" && name == "File":
			return "open file"
		case pkg == "io":
			return "io stream"
		case pkg == "net" && (name == "Conn" || name == "Listener"):
			return "network connection"
		case pkg == "context" || pkg == "error" || pkg == "time" || pkg == "reflect" && name == "Type":
			return ""
		case pkg == "net/http" && (name == "Request" || name == "Response" || name == "Header"):
			return "" // an HTTP message travels as what it is
		case selfSerializing(named):
			return ""
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Chan:
		return "channel"
	case *types.Signature:
		return "function value"
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return "unsafe.Pointer"
		}
	case *types.Pointer:
		return unserializable(u.Elem(), seen)
	case *types.Slice:
		return unserializable(u.Elem(), seen)
	case *types.Array:
		return unserializable(u.Elem(), seen)
	case *types.Map:
		if why := unserializable(u.Key(), seen); why != "" {
			return why
		}
		return unserializable(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if why := fieldUnserializable(f.Type(), seen); why != "" {
				return "field " + f.Name() + ": " + why
			}
		}
	case *types.Interface:
		return behaviourInterface(t, u)
	}
	return ""
}

// wireMethods are methods by which a type states its own wire form: a
// protocol buffer message (whatever its generated internals hold: a
// protoimpl.MessageState has an unsafe.Pointer), or a value that encodes
// itself as JSON, text, bytes or gob.
var wireMethods = []string{"ProtoReflect", "ProtoMessage", "MarshalJSON", "MarshalText", "MarshalBinary", "GobEncode"}

// selfSerializing reports whether values of named (or pointers to them)
// have one of the wireMethods.
func selfSerializing(named *types.Named) bool {
	if _, ok := named.Underlying().(*types.Interface); ok {
		return false
	}
	ptr := types.NewPointer(named)
	for _, m := range wireMethods {
		if obj, _, _ := types.LookupFieldOrMethod(ptr, false, nil, m); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return true
			}
		}
	}
	return false
}

// fieldUnserializable judges a struct field. Inside a struct only data that
// cannot travel counts (channels, unsafe pointers, open files and
// connections): a mutex guarding the struct, an optional hook or an
// injected collaborator is how the value is used in its own process, and
// flagging them would make every handle and options struct (a
// *token.FileSet, an http.Server) a reason to keep two parts together.
func fieldUnserializable(t types.Type, seen map[types.Type]bool) string {
	why := unserializable(t, seen)
	switch {
	case why == "", strings.Contains(why, "channel"), strings.Contains(why, "unsafe.Pointer"),
		strings.Contains(why, "open file"), strings.Contains(why, "network connection"):
		return why
	}
	return ""
}

// behaviourInterface flags interfaces whose values are objects with behaviour
// (a repository, a callback) rather than data; error, fmt.Stringer, any and
// context.Context travel fine as data or headers.
func behaviourInterface(t types.Type, u *types.Interface) string {
	if u.NumMethods() == 0 {
		return ""
	}
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil {
		switch named.Obj().Pkg().Path() {
		case "context", "fmt", "encoding", "encoding/json", "time":
			return ""
		case "net/http":
			if named.Obj().Name() == "ResponseWriter" {
				return "" // an HTTP response: ServeHTTP(w, r) is an HTTP exchange, the most portable call there is
			}
		case "google.golang.org/grpc":
			if strings.HasSuffix(named.Obj().Name(), "Option") {
				// grpc.CallOption, DialOption: a gRPC client's settings for
				// the call it makes (every generated client method takes
				// opts ...grpc.CallOption); the call is the RPC itself.
				return ""
			}
		}
	} else if types.Identical(t, types.Universe.Lookup("error").Type()) {
		return ""
	}
	if u.NumMethods() == 1 && (u.Method(0).Name() == "Error" || u.Method(0).Name() == "String") {
		return ""
	}
	for i := range u.NumMethods() {
		if name := u.Method(i).Name(); name == "ProtoReflect" || name == "ProtoMessage" {
			return "" // any protocol buffer message: data
		}
	}
	return "interface value carries behaviour"
}

// paramMisuse looks into fn's body for uses of parameter i that tie caller and
// callee to one address space: reading values from a context, or writing
// through a pointer argument.
func paramMisuse(fn *ssa.Function, i int, t types.Type) string {
	if len(fn.Params) == 0 || fn.Blocks == nil {
		return ""
	}
	off := len(fn.Params) - fn.Signature.Params().Len()
	param := fn.Params[off+i]
	if isContext(t) {
		for _, ref := range *param.Referrers() {
			if call, ok := ref.(ssa.CallInstruction); ok && call.Common().IsInvoke() && call.Common().Method.Name() == "Value" {
				return "callee reads context values"
			}
		}
		return ""
	}
	if _, ok := t.Underlying().(*types.Pointer); ok && writesThrough(param, 0) {
		return "callee mutates the pointed-to value"
	}
	return ""
}

func isContext(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "context" && named.Obj().Name() == "Context"
}

// writesThrough reports whether a store goes through v or an address derived
// from it (field and element addresses).
func writesThrough(v ssa.Value, depth int) bool {
	if depth > 4 || v.Referrers() == nil {
		return false
	}
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Addr == v {
				return true
			}
		case *ssa.FieldAddr:
			if writesThrough(r, depth+1) {
				return true
			}
		case *ssa.IndexAddr:
			if writesThrough(r, depth+1) {
				return true
			}
		case *ssa.MapUpdate:
			if r.Map == v { // not v stored as a key or value (m[k] = location.Stockholm)
				return true
			}
		}
	}
	return false
}
