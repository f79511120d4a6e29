package polyglot

import (
	"path"
	"strings"
)

// A target is what an imported name refers to: a component, the module
// the name came from there, and the member of it, "" for the module itself.
type target struct {
	comp   string
	module string // "worker.db", "com.shop.billing.model", "web/src/api/orders"
	member string // "save", "InvoiceRepo", "getOrder"
}

// qualified names the target for callee lists: "worker.db.save",
// "InvoiceRepo", "orders.getOrder".
func (t target) qualified(lang string) string {
	mod := t.module
	switch lang {
	case Java:
		if t.member != "" {
			return t.member
		}
		return mod
	case JavaScript, TypeScript:
		mod = strings.TrimSuffix(path.Base(mod), path.Ext(mod))
	}
	if t.member == "" || t.member == "*" || t.member == "default" {
		return mod
	}
	return mod + "." + t.member
}

// resolve finds the target of one import of f, false when it is outside
// the repository.
func (ix *index) resolve(f *file, s importSpec) (target, bool) {
	switch f.Lang {
	case Python:
		return ix.resolvePython(f, s)
	case Java:
		return ix.resolveJava(s)
	}
	return ix.resolveJS(f, s)
}

func (ix *index) resolvePython(f *file, s importSpec) (target, bool) {
	base := s.Module
	if strings.HasPrefix(base, ".") {
		rest := strings.TrimLeft(base, ".")
		pkg := ix.pyPackageOf(f)
		for range len(base) - len(rest) - 1 {
			pkg = parentModule(pkg)
		}
		base = joinModule(pkg, rest)
	}
	if s.Symbol != "" && s.Symbol != "*" {
		if m := ix.pyFind(f, joinModule(base, s.Symbol)); m != nil {
			return target{comp: ix.comp[m.Path], module: joinModule(base, s.Symbol)}, true
		}
	}
	parts := strings.Split(base, ".")
	for n := len(parts); n > 0; n-- {
		mod := strings.Join(parts[:n], ".")
		if m := ix.pyFind(f, mod); m != nil {
			member := strings.Join(append(parts[n:], s.Symbol), ".")
			return target{comp: ix.comp[m.Path], module: mod, member: strings.Trim(member, ".")}, true
		}
	}
	return target{}, false
}

// pyFind returns the file defining module mod as f sees it: from f's own
// source root if it defines mod, else from the only root that does.
func (ix *index) pyFind(f *file, mod string) *file {
	cands := ix.pyModules[mod]
	for _, c := range cands {
		if ix.pyRoots[c] == ix.pyRoots[f] {
			return c
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// pyPackageOf is the dotted package a Python file belongs to.
func (ix *index) pyPackageOf(f *file) string {
	if path.Base(f.Path) == "__init__.py" {
		return ix.pyNames[f]
	}
	return parentModule(ix.pyNames[f])
}

func parentModule(mod string) string {
	if i := strings.LastIndexByte(mod, '.'); i >= 0 {
		return mod[:i]
	}
	return ""
}

func joinModule(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// resolveJava maps an import to the longest known package prefix of it:
// the rest is the class (and static member) imported.
func (ix *index) resolveJava(s importSpec) (target, bool) {
	name := s.Module
	if s.Symbol != "" && s.Symbol != "*" {
		name += "." + s.Symbol
	}
	parts := strings.Split(name, ".")
	for n := len(parts); n > 0; n-- {
		pkg := strings.Join(parts[:n], ".")
		if fs := ix.javaPackages[pkg]; len(fs) > 0 && pkg != "" {
			member := strings.Join(parts[n:], ".")
			if s.Symbol == "*" && n == len(parts) {
				member = "*"
			}
			return target{comp: ix.comp[fs[0].Path], module: pkg, member: member}, true
		}
	}
	return target{}, false
}

// resolveJS maps a relative specifier to a file and a bare one to a
// workspace package (its entry file, or the file under it a subpath names).
func (ix *index) resolveJS(f *file, s importSpec) (target, bool) {
	spec, file := s.Module, ""
	switch {
	case strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || spec == "." || spec == "..":
		file = ix.jsFile(path.Join(path.Dir(f.Path), spec))
	default:
		file = ix.jsWorkspaceFile(spec)
	}
	if file == "" {
		return target{}, false
	}
	return target{comp: ix.comp[file], module: strings.TrimSuffix(file, path.Ext(file)), member: s.Symbol}, true
}

func (ix *index) jsWorkspaceFile(spec string) string {
	best := ""
	for name := range ix.workspaces {
		if (spec == name || strings.HasPrefix(spec, name+"/")) && len(name) > len(best) {
			best = name
		}
	}
	if best == "" {
		return ""
	}
	p := ix.workspaces[best]
	if sub := strings.TrimPrefix(spec, best); sub != "" {
		for _, dir := range []string{p.Dir, path.Join(p.Dir, "src")} {
			if f := ix.jsFile(path.Join(dir, sub)); f != "" {
				return f
			}
		}
		return ""
	}
	if len(p.Entries) > 0 {
		return p.Entries[0]
	}
	return ""
}
