package analyzer

import (
	"fmt"
	"go/types"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// addComponents adds one component per component id of the loaded packages.
func (p *Program) addComponents(g *graph.Graph) {
	handWritten := map[*graph.Component]bool{}
	for _, pkg := range p.Packages {
		id := p.ComponentOf(pkg.PkgPath)
		if id == "" {
			continue
		}
		c := g.Component(id)
		if c == nil {
			c = &graph.Component{ID: id, Name: p.componentName(id), Language: "go", Dir: p.pkgDir(pkg)}
			g.Components = append(g.Components, c)
			g.Stats.Packages++
		}
		if !slices.Contains(c.Packages, pkg.PkgPath) {
			c.Packages = append(c.Packages, pkg.PkgPath)
		}
		for _, f := range pkg.Syntax {
			c.Files++
			if tf := p.Fset.File(f.Pos()); tf != nil {
				c.Lines += tf.LineCount()
				if !p.generated[tf.Name()] {
					handWritten[c] = true
				}
			}
		}
		if pkg.Name == "main" {
			for imp := range pkg.Imports {
				if to := p.ComponentOf(imp); to != "" && to != id && !slices.Contains(c.Imports, to) {
					c.Imports = append(c.Imports, to)
				}
			}
			slices.Sort(c.Imports)
		}
	}
	for _, c := range g.Components {
		c.Generated = c.Language == "go" && c.Files > 0 && !handWritten[c]
	}
}

// componentName is the id relative to its module ("orders", "catalog/search"),
// or the last element of the module path for a module's root package.
func (p *Program) componentName(id string) string {
	best := ""
	for _, m := range p.Modules {
		if (id == m || strings.HasPrefix(id, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best == "" || id == best {
		return path.Base(id)
	}
	return strings.TrimPrefix(id, best+"/")
}

func (p *Program) pkgDir(pkg *packages.Package) string {
	files := pkg.GoFiles
	if len(files) == 0 {
		files = pkg.CompiledGoFiles
	}
	if len(files) == 0 {
		return ""
	}
	return p.RelFile(filepath.Dir(files[0]))
}

// assignRoles records the I/O and the offered interfaces of every
// component (see offeredInterfaces) and gives it its role with the reason:
// entrypoint (a main package), library (stateless, no I/O of its own, used by
// two or more components, and depending on nothing but other libraries, so
// it can be linked into every unit that uses it), or service.
func (p *Program) assignRoles(g *graph.Graph, importers map[string][]string) {
	io, ifaces := p.ioKinds(), p.offeredInterfaces()
	for _, c := range g.Components {
		if !c.External {
			c.IO = append(c.IO, io[c.ID]...)
			c.Interfaces = append(c.Interfaces, ifaces[c.ID]...)
		}
	}
	libs := p.libraries(g, importers)
	for _, c := range g.Components {
		if c.External || c.Role != "" {
			continue
		}
		switch users := importers[c.ID]; {
		case p.isMain(c):
			c.Role, c.RoleReason = graph.RoleEntrypoint, "package main"
		case len(c.MutableState) > 0:
			c.Role, c.RoleReason = graph.RoleService, "owns mutable package-level state: "+strings.Join(firstN(c.MutableState, 3), ", ")
		case len(c.IO) > 0:
			c.Role, c.RoleReason = graph.RoleService, "does I/O of its own: "+strings.Join(c.IO, ", ")
		case libs[c.ID]:
			c.Role, c.RoleReason = graph.RoleLibrary, fmt.Sprintf("stateless, no I/O, used by %d components, depends only on libraries", len(users))
		case len(users) < 2:
			c.Role, c.RoleReason = graph.RoleService, fmt.Sprintf("used by %d component(s): not shared widely enough to be a library", len(users))
		default:
			c.Role, c.RoleReason = graph.RoleService, "depends on stateful or I/O components: "+strings.Join(firstN(p.serviceDeps(c.ID, libs), 3), ", ")
		}
	}
}

// libraries finds the library components: start from every stateless,
// I/O-free component with two or more users, then drop, until nothing
// changes, those that import a module component outside the set.
func (p *Program) libraries(g *graph.Graph, importers map[string][]string) map[string]bool {
	libs := map[string]bool{}
	for _, c := range g.Components {
		if !c.External && !p.isMain(c) && len(c.MutableState) == 0 && len(c.IO) == 0 && len(importers[c.ID]) >= 2 {
			libs[c.ID] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, id := range sortedKeys(libs) {
			if len(p.serviceDeps(id, libs)) > 0 {
				delete(libs, id)
				changed = true
			}
		}
	}
	return libs
}

// serviceDeps lists the module components id imports that are not libraries.
func (p *Program) serviceDeps(id string, libs map[string]bool) []string {
	deps := map[string]bool{}
	for _, pkg := range p.Packages {
		if p.ComponentOf(pkg.PkgPath) != id || strings.HasSuffix(pkg.PkgPath, "_test") {
			continue
		}
		for imp := range pkg.Imports {
			if to := p.ComponentOf(imp); to != "" && to != id && !libs[to] {
				deps[p.componentName(to)] = true
			}
		}
	}
	return sortedKeys(deps)
}

func firstN(s []string, n int) []string {
	s = slices.Compact(slices.Sorted(slices.Values(s)))
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

func (p *Program) isMain(c *graph.Component) bool {
	for _, pkg := range p.Packages {
		if pkg.Name == "main" && p.ComponentOf(pkg.PkgPath) == c.ID {
			return true
		}
	}
	return false
}

// importers maps each component to the other components importing it
// (test-only imports excluded).
func (p *Program) importers() map[string][]string {
	users := map[string]map[string]bool{}
	for _, pkg := range p.Packages {
		from := p.ComponentOf(pkg.PkgPath)
		if strings.HasSuffix(pkg.PkgPath, "_test") {
			continue
		}
		for imp := range pkg.Imports {
			to := p.ComponentOf(imp)
			if to == "" || to == from {
				continue
			}
			if users[to] == nil {
				users[to] = map[string]bool{}
			}
			users[to][from] = true
		}
	}
	out := map[string][]string{}
	for to, froms := range users {
		out[to] = sortedKeys(froms)
	}
	return out
}

// ioKinds lists, for each component, the kinds of I/O its functions
// perform directly, from the functions of I/O packages they call. It
// visits every function once: asking per component would visit every
// function once per component.
func (p *Program) ioKinds() map[string][]string {
	kinds := map[string]map[string]bool{}
	for _, fn := range p.Funcs() {
		if isTestFile(p, fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					if k := ioKind(call.Common()); k != "" {
						id := p.FuncComponent(fn)
						if kinds[id] == nil {
							kinds[id] = map[string]bool{}
						}
						kinds[id][k] = true
					}
				}
			}
		}
	}
	out := make(map[string][]string, len(kinds))
	for id, k := range kinds {
		out[id] = sortedKeys(k)
	}
	return out
}

func isTestFile(p *Program, fn *ssa.Function) bool {
	if !fn.Pos().IsValid() {
		return false
	}
	return strings.HasSuffix(p.Fset.File(fn.Pos()).Name(), "_test.go")
}

// ioKind names the kind of I/O a call performs, or "".
func ioKind(call *ssa.CallCommon) string {
	var pkg, recv, name string
	if call.IsInvoke() {
		if named, ok := types.Unalias(call.Value.Type()).(*types.Named); ok && named.Obj().Pkg() != nil {
			pkg, recv, name = named.Obj().Pkg().Path(), named.Obj().Name(), call.Method.Name()
		}
	} else if fn := call.StaticCallee(); fn != nil {
		pkg, recv, name = FuncPackage(fn), RecvName(fn), fn.Name()
	}
	return classifyIO(pkg, recv, name)
}
