package evidence

import (
	"cmp"
	"go/types"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer"
)

// A funcIndex ties the function names of profiles to the analysed code.
//
// Profiles name functions as the Go runtime does:
// "example.com/shop/orders.(*Service).Place", closures as "Place.func1" and
// "Place.func1.2", method values as "Place-fm", generic instances as
// "Map[...]", package-level closures as "glob..func1", and functions of
// package main as "main.f". Both sides are reduced to a key, the package
// path and the declared function ("example.com/shop/orders.Service.Place"):
// a closure counts as the function it is written in.
type funcIndex struct {
	p      *analyzer.Program
	files  *fileIndex
	loaded map[string]bool // package paths of the analysed packages
	pkgs   []string        // the same, longest first
	mains  []string        // package paths of main packages
	known  map[string]bool // keys of the module's functions
	cache  map[string]frameInfo
}

// Frame statuses.
const (
	frameExternal = iota // outside the analysed modules
	frameOutside         // in an analysed module, but its package was not loaded
	frameTest            // test code the scan did not load
	frameMapped
	frameUnmapped
)

type frameInfo struct {
	status         int
	pkg, key, comp string
}

func newFuncIndex(p *analyzer.Program, files *fileIndex) *funcIndex {
	x := &funcIndex{p: p, files: files, loaded: map[string]bool{}, known: map[string]bool{}, cache: map[string]frameInfo{}}
	for _, pkg := range p.Packages {
		x.loaded[pkg.PkgPath] = true
		x.known[pkg.PkgPath+".init"] = true
		x.known[pkg.PkgPath+".glob"] = true
		if pkg.Name == "main" {
			x.mains = append(x.mains, pkg.PkgPath)
		}
	}
	for pkg := range x.loaded {
		x.pkgs = append(x.pkgs, pkg)
	}
	slices.SortFunc(x.pkgs, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a, b)) })
	for _, fn := range p.Funcs() {
		x.known[x.ssaKey(fn)] = true
	}
	return x
}

// ssaKey is the key of an SSA function: its package and the declared
// function it is written in, with the receiver's type name for methods.
func (x *funcIndex) ssaKey(fn *ssa.Function) string {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	name, _, _ := strings.Cut(fn.Name(), "$")
	name, _, _ = strings.Cut(name, "#")
	recv := fn.Signature.Recv()
	if f, ok := fn.Object().(*types.Func); ok {
		recv = f.Type().(*types.Signature).Recv()
	}
	if recv != nil {
		if r := recvName(recv.Type()); r != "" {
			name = r + "." + name
		}
	}
	return analyzer.FuncPackage(fn) + "." + name
}

func recvName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// frame ties the function of a profile frame, written in file, to the code.
func (x *funcIndex) frame(name, file string) frameInfo {
	key := name + "\x00" + file
	if fi, ok := x.cache[key]; ok {
		return fi
	}
	fi := x.resolve(name, file)
	x.cache[key] = fi
	return fi
}

func (x *funcIndex) resolve(name, file string) frameInfo {
	pkg, sym := x.splitName(name, file)
	if pkg == "" {
		if x.inModule(name) {
			return frameInfo{status: frameOutside}
		}
		return frameInfo{status: frameExternal}
	}
	fi := frameInfo{pkg: pkg, key: x.knownKey(pkg, baseName(sym)), comp: x.p.ComponentOf(pkg)}
	if filePkg, ok := x.files.pkgOf[file]; ok {
		// Code inlined from another package, such as a closure a
		// middleware returns, is named after the function it was inlined
		// into, but its file tells where it is written.
		fi.comp = x.p.ComponentOf(filePkg)
	}
	switch {
	case x.known[fi.key]:
		fi.status = frameMapped
	case strings.HasSuffix(file, "_test.go") || strings.HasSuffix(pkg, "_test"):
		fi.status = frameTest
	default:
		fi.status = frameUnmapped
	}
	return fi
}

// knownKey returns the key of the longest known function that base starts
// with: the compiler names a closure inlined into f "f.g.func1", after the
// inlined function g, which is no function of f's package.
func (x *funcIndex) knownKey(pkg, base string) string {
	for name := base; ; {
		if x.known[pkg+"."+name] {
			return pkg + "." + name
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			return pkg + "." + base
		}
		name = name[:i]
	}
}

// splitName splits a runtime function name into the analysed package it
// belongs to and the rest, or returns "" for other packages.
func (x *funcIndex) splitName(name, file string) (pkg, sym string) {
	for _, p := range x.pkgs {
		if rest, ok := strings.CutPrefix(name, escapePath(p)+"."); ok {
			return p, rest
		}
	}
	if rest, ok := strings.CutPrefix(name, "main."); ok {
		return x.mainPackage(file), rest
	}
	return "", ""
}

// mainPackage finds which main package holds file, since the runtime names
// every main package "main".
func (x *funcIndex) mainPackage(file string) string {
	base := path.Base(filepath.ToSlash(file))
	dir := path.Base(path.Dir(filepath.ToSlash(file)))
	var cands []string
	for _, m := range x.mains {
		if abs, ok := x.files.byPkgFile[m+"/"+base]; ok && (len(x.mains) == 1 || filepath.Base(filepath.Dir(abs)) == dir) {
			cands = append(cands, m)
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return ""
}

func (x *funcIndex) inModule(name string) bool {
	for _, m := range x.p.Modules {
		if strings.HasPrefix(name, m+"/") || strings.HasPrefix(name, escapePath(m)+".") {
			return true
		}
	}
	return false
}

// escapePath escapes the dots of a package path's last element as the
// linker does in symbol names ("gopkg.in/yaml.v3" → "gopkg.in/yaml%2ev3").
func escapePath(p string) string {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1] + strings.ReplaceAll(p[i+1:], ".", "%2e")
}

var parenDropper = strings.NewReplacer("(*", "", "(", "", ")", "")

// baseName reduces the symbol of a runtime function name (the part after
// the package) to its declared function: "(*Service).Place.func1.2" →
// "Service.Place", "Map[...]" → "Map", "glob..func1" → "glob".
func baseName(sym string) string {
	sym = stripBrackets(sym)
	sym = parenDropper.Replace(sym)
	parts := strings.Split(sym, ".")
	for i, p := range parts {
		parts[i], _, _ = strings.Cut(p, "-")
	}
	for len(parts) > 1 && isClosureMark(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

// isClosureMark reports a name element the compiler adds for closures and
// wrappers: "", "func1", "gowrap2", "deferwrap1", "3".
func isClosureMark(s string) bool {
	for _, prefix := range []string{"func", "gowrap", "deferwrap", ""} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// stripBrackets removes the type arguments of generic names, which may
// nest and hold dots and slashes: "Map[go.shape.int,example.com/x.T]".
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
