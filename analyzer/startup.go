package analyzer

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// cliFrameworks are command-line frameworks whose users are the programs'
// launchers: a package importing one builds the command tree that a main
// package runs.
var cliFrameworks = []string{"github.com/spf13/cobra", "github.com/urfave/cli", "github.com/alecthomas/kong", "github.com/peterbourgon/ff"}

// launchers returns the components that start programs: those holding a
// main package, and command packages that only main packages import (a
// cobra "cmd" package, a urfave/cli app), recognised by importing a
// command-line framework or by their name (cmd, command, commands).
// What such code writes into other packages' variables before serving
// (flag values, a chosen pool size) is the configuration of the process
// being started: every process of a split sets its own. Extract adds the
// packages registering a program's named initialisers (registries), the
// wiring of its parts, which configure them the same way.
func (p *Program) launchers(importers map[string][]string) map[string]bool {
	out := map[string]bool{}
	mains := map[string]bool{}
	for _, pkg := range p.Packages {
		if pkg.Name == "main" {
			mains[p.ComponentOf(pkg.PkgPath)] = true
		}
	}
	for _, pkg := range p.Packages {
		id := p.ComponentOf(pkg.PkgPath)
		if id == "" {
			continue
		}
		if mains[id] {
			out[id] = true
			continue
		}
		users := importers[id]
		if len(users) == 0 {
			continue
		}
		onlyMains := true
		for _, u := range users {
			onlyMains = onlyMains && mains[u]
		}
		if !onlyMains {
			continue
		}
		switch pkg.Name {
		case "cmd", "command", "commands":
			out[id] = true
			continue
		}
		for imp := range pkg.Imports {
			for _, fw := range cliFrameworks {
				if imp == fw || strings.HasPrefix(imp, fw+"/") {
					out[id] = true
				}
			}
		}
	}
	return out
}

// startupWrite returns whether a use is start-up configuration: a launcher
// (see launchers) writing a variable of another component, or a set-up
// function writing a variable of its own package: one named as such
// (Init…, Setup…, Set…, Configure…) that only launchers call, as
// log.InitLogger(cfg) sets a package's global logger from main.
func (p *Program) startupWrite(launchers map[string]bool) func(globalUse) bool {
	setup := p.setupFuncs(launchers)
	return func(u globalUse) bool {
		from, owner := p.FuncComponent(u.fn), p.ComponentOf(u.global.Pkg.Pkg.Path())
		return launchers[from] && from != owner || setup[u.fn] && from == owner
	}
}

// setupCallers returns, for each of the module's functions named as set-up
// (setupPrefixes) outside launchers, the packages of the functions that
// call it directly and are neither launchers nor set-up themselves (a
// set-up function whose callers are all launchers or such set-up, as a
// tool's helpers.Setup calls log.InitLogger): where it runs other than as
// start-up.
func (p *Program) setupCallers(launchers map[string]bool) map[*ssa.Function][]string {
	callers := map[*ssa.Function][]*ssa.Function{}
	p.setupCalls(launchers, func(fn, callee *ssa.Function) {
		if !launchers[p.FuncComponent(fn)] {
			callers[callee] = append(callers[callee], fn)
		}
	})
	// startup holds the set-up functions only launchers and other such
	// functions call: the largest such set, by dropping until stable.
	startup := map[*ssa.Function]bool{}
	for _, fn := range p.Funcs() {
		if setupName(fn.Name()) && !launchers[p.FuncComponent(fn)] {
			startup[fn] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for fn := range startup {
			if slices.ContainsFunc(callers[fn], func(c *ssa.Function) bool { return !startup[c] }) {
				delete(startup, fn)
				changed = true
			}
		}
	}
	out := map[*ssa.Function][]string{}
	for fn, cs := range callers {
		var pkgs []string
		for _, c := range cs {
			if !startup[c] {
				pkgs = append(pkgs, funcPkgPath(c))
			}
		}
		out[fn] = pkgs
	}
	return out
}

// setupCalls calls visit for every static call, in the module's
// functions, of a module function outside launchers named as set-up
// (setupPrefixes).
func (p *Program) setupCalls(launchers map[string]bool, visit func(caller, callee *ssa.Function)) {
	for _, fn := range p.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil || launchers[p.FuncComponent(callee)] || p.FuncComponent(callee) == "" || !setupName(callee.Name()) {
					continue
				}
				visit(fn, callee)
			}
		}
	}
}

// setupPrefixes start the names of functions that configure their package.
var setupPrefixes = []string{"Init", "Setup", "SetUp", "Set", "Configure"}

// setupFuncs returns the module's functions outside launchers, named as
// set-up (setupPrefixes), that are called, directly, by launchers only.
func (p *Program) setupFuncs(launchers map[string]bool) map[*ssa.Function]bool {
	only := map[*ssa.Function]bool{}
	p.setupCalls(launchers, func(fn, callee *ssa.Function) {
		if was, seen := only[callee]; !seen || was {
			only[callee] = launchers[p.FuncComponent(fn)]
		}
	})
	for fn, ok := range only {
		if !ok {
			delete(only, fn)
		}
	}
	return only
}

func setupName(name string) bool {
	for _, p := range setupPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
