package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// Commands of one binary.
//
// Many systems ship every service in one binary with a subcommand each
// (thanos sidecar|store|query|…, a geth with its tool commands), and keep
// each subcommand in a file of its own beside main.go: main dispatches to
// registerQuery in query.go, registerStore in store.go. Which packages a
// subcommand runs is then the best evidence of which service they belong
// to, and package imports cannot give it: the main package imports them
// all. Others register one initialiser per target by name with a module
// manager (Cortex's mm.RegisterModule(Distributor, t.initDistributor)):
// each target is a command too (see registry).
//
// A commandReach walks, once the program is built, from each command's
// roots to the components it reaches (see next), with no call graph: the
// chosen algorithm resolves a call through an interface or a function
// value without context, so a shared helper calling back what it was
// handed would tie every command to every other.
type commandReach struct {
	p         *Program
	comp      map[*ssa.Function]string
	meths     map[[2]types.Type][]*ssa.Function
	declaring map[*ssa.Package]bool // see declaresCommands
	globals   map[*ssa.Global][]ssa.Value
	held      map[*ssa.Global][]*ssa.Function
}

// heldFuncs returns the functions a package-level variable's
// initialisation names, through the other variables it reads (see
// globalFuncs).
func (cr *commandReach) heldFuncs(g *ssa.Global) []*ssa.Function {
	if fns, ok := cr.held[g]; ok {
		return fns
	}
	if cr.globals == nil {
		cr.globals = cr.p.globalFuncs()
	}
	cr.held[g] = nil // a cycle of variables ends here
	var out []*ssa.Function
	for _, v := range cr.globals[g] {
		switch v := v.(type) {
		case *ssa.Function:
			out = append(out, v)
		case *ssa.Global:
			out = append(out, cr.heldFuncs(v)...)
		}
	}
	cr.held[g] = out
	return out
}

// newCommandReach returns the walker of a program's commands.
func (p *Program) newCommandReach() *commandReach {
	return &commandReach{p: p, comp: map[*ssa.Function]string{}, meths: map[[2]types.Type][]*ssa.Function{}, declaring: map[*ssa.Package]bool{}, held: map[*ssa.Global][]*ssa.Function{}}
}

// A commandSet is the commands of one program: a main package running one
// command per file, or a package registering named initialisers.
type commandSet struct {
	pkg      *ssa.Package
	name     string // the component's name, the commands' prefix
	dispatch []*ssa.Function
	roots    map[string][]*ssa.Function // command → its roots
	// commands is the package holding the commands when it is not pkg
	// (see commandPackage): part of the program, as pkg is.
	commands *ssa.Package
}

// mark sets graph.Component.Commands for the components the commands of
// each multi-command program reach.
func (cr *commandReach) mark(g *graph.Graph) {
	var sets []commandSet
	deployable := map[string]bool{}
	for _, pkg := range cr.p.deployable() {
		deployable[pkg.PkgPath] = true
	}
	funcs := cr.p.packageFuncs()
	registered := cr.p.registryRoots()
	for i, pkg := range cr.p.Packages {
		sp := cr.p.SSAPackages[i]
		c := g.Component(cr.p.ComponentOf(pkg.PkgPath))
		if sp == nil || c == nil {
			continue
		}
		if pkg.Name == "main" && deployable[pkg.PkgPath] {
			if dispatch, roots := cr.commandRoots(sp, funcs[sp], len(pkg.Syntax) >= 3); len(roots) >= 2 {
				sets = append(sets, commandSet{pkg: sp, name: c.Name, dispatch: dispatch, roots: roots})
			} else if set, ok := cr.commandPackage(sp, dispatch, funcs); ok {
				set.name = c.Name
				sets = append(sets, set)
			}
		}
		if roots := registered[sp]; roots != nil {
			sets = append(sets, commandSet{pkg: sp, name: c.Name, roots: roots})
		}
	}
	reached := map[string]map[string]bool{} // component id → commands
	for _, set := range sets {
		own := cr.p.ComponentOf(set.pkg.Pkg.Path())
		var cmds string // the commands package's component, when apart
		if set.commands != nil {
			cmds = cr.p.ComponentOf(set.commands.Pkg.Path())
		}
		walks := map[string]map[string]bool{} // label → components
		isRoot := map[*ssa.Function]bool{}
		for _, fns := range set.roots {
			for _, fn := range fns {
				isRoot[fn] = true
			}
		}
		// The program's own start-up (main.go, package initialisation)
		// reaches what every command shares: it stops at the commands.
		if len(set.dispatch) > 0 {
			walks[set.name] = cr.walk(set.dispatch, isRoot)
		}
		for _, k := range sortedKeys(set.roots) {
			walks[set.name+" "+k] = cr.walk(set.roots[k], nil)
		}
		delete(walks[set.name], own)
		if cmds != "" {
			for _, ids := range walks {
				delete(ids, cmds)
			}
		}
		if !servicesLike(set.name, walks, own) {
			continue
		}
		if cmds != "" {
			if c := g.Component(cmds); c != nil {
				c.CommandsOf = set.name // the package of commands is the program's
			}
		}
		for label, ids := range walks {
			for id := range ids {
				if id == own {
					continue
				}
				if reached[id] == nil {
					reached[id] = map[string]bool{}
				}
				reached[id][label] = true
			}
		}
	}
	for _, c := range g.Components {
		if set := reached[c.ID]; set != nil {
			c.Commands = sortedKeys(set)
		}
	}
}

// servicesLike reports whether a program's commands look like services of
// a system rather than modes of one application: two or more of them run
// code no other command (nor the start-up) runs, and none runs alone
// more than half of what the program's commands reach. A program whose
// "serve" command alone runs most of it, beside "migrate", is one
// application with modes: following its commands would make its one
// service of everything.
func servicesLike(program string, walks map[string]map[string]bool, own string) bool {
	count := map[string]int{} // component → labels reaching it
	for _, ids := range walks {
		for id := range ids {
			if id != own {
				count[id]++
			}
		}
	}
	owners := 0
	for label, ids := range walks {
		if label == program {
			continue
		}
		alone := 0
		for id := range ids {
			if id != own && count[id] == 1 {
				alone++
			}
		}
		if 2*alone > len(count) {
			return false
		}
		if alone > 0 {
			owners++
		}
	}
	return owners >= 2
}

// registries returns the components that register named initialisers
// (see registry): the wiring of a program's parts, which, as a launcher
// does, configures the packages it starts before they serve
// (mimirpb.TimeseriesUnmarshalCachingEnabled = cfg.… in Mimir's
// pkg/mimir).
func (p *Program) registries() map[string]bool {
	out := map[string]bool{}
	for sp := range p.registryRoots() {
		if id := p.ComponentOf(sp.Pkg.Path()); id != "" {
			out[id] = true
		}
	}
	return out
}

// registryRoots returns, for each package registering named initialisers
// (see registry), the initialiser of each name; computed once, for the
// launchers and for the commands.
func (p *Program) registryRoots() map[*ssa.Package]map[string][]*ssa.Function {
	if p.registered != nil {
		return p.registered
	}
	cr := p.newCommandReach()
	funcs := p.packageFuncs()
	p.registered = map[*ssa.Package]map[string][]*ssa.Function{}
	for _, sp := range p.SSAPackages {
		if sp == nil {
			continue
		}
		if roots := cr.registry(sp, funcs[sp]); roots != nil {
			p.registered[sp] = roots
		} else if roots := providerRegistry(sp, funcs[sp]); roots != nil {
			p.registered[sp] = roots
		}
	}
	return p.registered
}

// packageFuncs groups the module's functions (Funcs) by SSA package.
func (p *Program) packageFuncs() map[*ssa.Package][]*ssa.Function {
	funcs := map[*ssa.Package][]*ssa.Function{}
	for _, fn := range p.Funcs() {
		if fn.Pkg != nil {
			funcs[fn.Pkg] = append(funcs[fn.Pkg], fn)
		}
	}
	return funcs
}

// registry returns the named initialisers a package registers: where one
// function makes three calls or more of the same callee, each passing a
// distinct constant name and a distinct function of the package taking no
// parameters and returning what it built (mm.RegisterModule(Distributor,
// t.initDistributor), as
// dskit's module manager is used by Cortex, Loki, Mimir and Tempo), each
// such function is the command of that name. Handlers taking arguments
// (mux.HandleFunc("/a", s.handleA)) and unnamed goroutines (g.Go(run))
// are no commands.
func (cr *commandReach) registry(sp *ssa.Package, funcs []*ssa.Function) map[string][]*ssa.Function {
	type call struct {
		name string
		fn   *ssa.Function
	}
	var best []call
	for _, fn := range funcs {
		byCallee := map[string][]call{}
		var order []string
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				site, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				key := calleeKey(site.Common())
				if key == "" {
					continue
				}
				name, init := "", (*ssa.Function)(nil)
				for _, arg := range site.Common().Args {
					if c, ok := arg.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String && name == "" {
						name = constant.StringVal(c.Value)
					}
					if g := cr.initialiser(sp, arg); g != nil && init == nil {
						init = g
					}
				}
				if name == "" || init == nil || hiddenOption(site.Common().Args) {
					continue
				}
				if _, seen := byCallee[key]; !seen {
					order = append(order, key)
				}
				byCallee[key] = append(byCallee[key], call{name, init})
			}
		}
		for _, key := range order {
			calls := byCallee[key]
			names, fns := map[string]bool{}, map[*ssa.Function]bool{}
			for _, c := range calls {
				names[c.name], fns[c.fn] = true, true
			}
			if len(names) == len(calls) && len(fns) == len(calls) && len(calls) > len(best) {
				best = calls
			}
		}
	}
	if len(best) < 3 {
		return nil
	}
	out := map[string][]*ssa.Function{}
	for _, c := range best {
		out[c.name] = []*ssa.Function{c.fn}
	}
	return out
}

// hiddenOption reports whether a registration passes an option of a
// dependency saying the name is no target a user runs: dskit's
// modules.UserInvisibleModule, which Cortex, Loki and Mimir pass for the
// internal modules targets depend on (the server, the ring, tenant
// configs). Such a module is no command: it runs within those that need it.
func hiddenOption(args []ssa.Value) bool {
	for _, arg := range args {
		for _, v := range sliceElements(arg) {
			if mi, ok := v.(*ssa.MakeInterface); ok {
				v = mi.X
			}
			var name string
			switch v := v.(type) {
			case *ssa.Function:
				if len(v.Blocks) == 0 {
					name = v.Name()
				}
			case *ssa.UnOp:
				if g, ok := v.X.(*ssa.Global); ok {
					name = g.Name()
				}
			}
			if strings.Contains(name, "Invisible") || strings.Contains(name, "Hidden") {
				return true
			}
		}
	}
	return false
}

// calleeKey identifies what a call calls, statically or through an
// interface method; "" for a call of a function value.
func calleeKey(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return c.Method.FullName()
	}
	if fn := c.StaticCallee(); fn != nil {
		return fn.String()
	}
	return ""
}

// initialiser returns the function of package sp that a value names (a
// function or a bound method value) when it takes no parameters.
func (cr *commandReach) initialiser(sp *ssa.Package, v ssa.Value) *ssa.Function {
	var fn *ssa.Function
	switch v := v.(type) {
	case *ssa.Function:
		fn = v
	case *ssa.MakeClosure:
		fn = cr.p.funcValue(v)
		if fn == nil {
			fn, _ = v.Fn.(*ssa.Function)
		}
	case *ssa.ChangeType:
		return cr.initialiser(sp, v.X)
	}
	if fn == nil || fn.Pkg != sp || fn.Signature.Params().Len() > 0 || !buildsSomething(fn.Signature) {
		return nil
	}
	return fn
}

// buildsSomething reports whether a signature returns a result other than
// an error: an initialiser returns what it built (dskit's func()
// (services.Service, error)), where a job run on a schedule
// (cron.AddFunc("@hourly", cleanup)) returns nothing or an error.
func buildsSomething(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if !types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
			return true
		}
	}
	return false
}

// commandName names a command after its file, without a word saying it is
// one: query_frontend.go → query-frontend, chaincmd.go → chain,
// cmd_serve.go → serve.
func commandName(file string) string {
	name := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(file), ".go"), "_", "-")
	for _, affix := range []string{"-command", "command", "-cmd", "cmd"} {
		if rest := strings.TrimSuffix(name, affix); rest != name && rest != "" {
			return rest
		}
	}
	for _, affix := range []string{"command-", "cmd-"} {
		if rest := strings.TrimPrefix(name, affix); rest != name && rest != "" {
			return rest
		}
	}
	return name
}

// commandRoots returns the dispatching functions of a main package (those
// in the file declaring main, its package initialisation) and its
// commands with their roots: per other file of the package (when files
// says the package has enough of them to hold commands), the functions of
// that file they call or name, named after the file; or, for a binary
// that runs one of several of the module's packages (a multi-call binary
// picking by its own name, as Argo CD's cmd runs argocd-server,
// argocd-repo-server, … from one main.go), the functions of each package
// it calls, named after the package.
func (cr *commandReach) commandRoots(sp *ssa.Package, own []*ssa.Function, files bool) (dispatch []*ssa.Function, roots map[string][]*ssa.Function) {
	mainFn := sp.Func("main")
	if mainFn == nil {
		return nil, nil
	}
	mainFile := cr.file(mainFn)
	for _, fn := range own {
		if f := cr.file(fn); f == mainFile || f == "" && fn.Synthetic == "package initializer" {
			dispatch = append(dispatch, fn)
		}
	}
	roots = map[string][]*ssa.Function{}
	if pkgs := cr.alternatives(dispatch, sp, mainFile, true); len(pkgs) >= minPackageCommands {
		for _, d := range dispatch {
			cr.next(d, func(fn *ssa.Function) {
				if fn.Pkg == nil || !pkgs[fn.Pkg.Pkg.Path()] {
					return
				}
				if name := packageCommand(fn.Pkg.Pkg.Path()); !slices.Contains(roots[name], fn) {
					roots[name] = append(roots[name], fn)
				}
			})
		}
		if len(roots) == len(pkgs) {
			return dispatch, roots
		}
		roots = map[string][]*ssa.Function{} // two packages share a name
	}
	if !files {
		return dispatch, nil
	}
	declares := cr.commandFiles(own)
	for f := range cr.alternatives(dispatch, sp, mainFile, false) {
		declares[f] = true
	}
	seen := map[*ssa.Function]bool{}
	for _, d := range dispatch {
		cr.next(d, func(fn *ssa.Function) {
			if fn.Pkg != sp || seen[fn] {
				return
			}
			if f := cr.file(fn); f != "" && f != mainFile && declares[f] && !strings.HasSuffix(f, "_test.go") {
				seen[fn] = true
				roots[commandName(f)] = append(roots[commandName(f)], fn)
			}
		})
	}
	return dispatch, roots
}

// commandPackage finds the commands of a program whose main hands over to
// a package of the module holding one command per file (SeaweedFS's
// weed/command: var cmdMaster = &Command{…} in master.go, its Run set in
// that file's init, all listed in command.go and run by main through a
// function field; a cobra cmd/ package whose files each add a subcommand).
// The package is the only one of the module that main's file names and
// that declares commands in minPackageCommands files or more; the start-up
// is main's and that package's initialisation, and each declaring file's
// functions the start-up names are a command's roots, named after the
// file.
func (cr *commandReach) commandPackage(sp *ssa.Package, dispatch []*ssa.Function, funcs map[*ssa.Package][]*ssa.Function) (commandSet, bool) {
	var found *ssa.Package
	var declares map[string]bool
	for _, named := range cr.namedPackages(dispatch, sp) {
		files := cr.commandFiles(funcs[named])
		switch {
		case len(files) < minPackageCommands:
			continue
		case found != nil:
			return commandSet{}, false // two packages of commands: which one runs is not ours to guess
		}
		found, declares = named, files
	}
	if found == nil {
		return commandSet{}, false
	}
	start := slices.Clone(dispatch)
	if init := found.Func("init"); init != nil {
		start = append(start, init)
	}
	roots := map[string][]*ssa.Function{}
	seen := map[*ssa.Function]bool{}
	for _, d := range start {
		cr.next(d, func(fn *ssa.Function) {
			if fn.Pkg != found || seen[fn] {
				return
			}
			if f := cr.file(fn); f != "" && declares[f] && !strings.HasSuffix(f, "_test.go") {
				seen[fn] = true
				roots[commandName(f)] = append(roots[commandName(f)], fn)
			}
		})
	}
	if len(roots) < minPackageCommands {
		return commandSet{}, false
	}
	serving := 0
	for _, k := range sortedKeys(roots) {
		if cr.listens(roots[k]) {
			serving++
		}
	}
	if serving < 2 {
		return commandSet{}, false // a command-line tool's subcommands (mimirtool's rules, alerts, …), not services
	}
	return commandSet{pkg: sp, dispatch: start, roots: roots, commands: found}, true
}

// listens reports whether code reachable from start (as walk follows it)
// listens for requests: net.Listen…, an HTTP server's ListenAndServe or
// Serve, a gRPC server's Serve. A package of subcommands is a program's
// services only when two or more of its commands serve.
func (cr *commandReach) listens(start []*ssa.Function) bool {
	found := false
	cr.reach(start, nil, func(fn *ssa.Function, _ string) bool {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if site, ok := instr.(ssa.CallInstruction); ok {
					if callee := site.Common().StaticCallee(); callee != nil && callee.Pkg != nil && listenCall(callee.Pkg.Pkg.Path(), RecvName(callee), callee.Name()) {
						found = true
						return false
					}
				}
			}
		}
		return true
	})
	return found
}

// listenCall reports whether calling name (of a type named recv, "" for a
// function) of package pkg listens for requests.
func listenCall(pkg, recv, name string) bool {
	switch pkg {
	case "net":
		return recv == "" && strings.HasPrefix(name, "Listen")
	case "net/http":
		return httpServes(recv, name)
	case "google.golang.org/grpc":
		return recv == "Server" && name == "Serve"
	}
	return false
}

// namedPackages returns, sorted by path, the module's packages other than
// sp whose functions or package-level variables the dispatching functions
// name.
func (cr *commandReach) namedPackages(dispatch []*ssa.Function, sp *ssa.Package) []*ssa.Package {
	set := map[string]*ssa.Package{}
	for _, d := range dispatch {
		eachOperand(d, func(_ ssa.Instruction, v ssa.Value) {
			var pkg *ssa.Package
			switch v := v.(type) {
			case *ssa.Function:
				if v.Synthetic != "package initializer" {
					pkg = v.Pkg
				}
			case *ssa.Global:
				pkg = v.Pkg
			}
			if pkg != nil && pkg != sp && cr.p.ComponentOf(pkg.Pkg.Path()) != "" {
				set[pkg.Pkg.Path()] = pkg
			}
		})
	}
	out := make([]*ssa.Package, 0, len(set))
	for _, k := range sortedKeys(set) {
		out = append(out, set[k])
	}
	return out
}

// commandFiles returns the files of a main package that declare a command
// to a command-line framework: code in them (package initialisation
// included) builds a value of a type named Command (cobra.Command,
// cli.Command) or calls a function or method named like a command's
// registration (app.Command, AddCommand). The files of a main package
// whose main.go merely calls helpers kept beside it (config.go,
// server.go) declare no commands: they are one program's parts, run one
// after the other, not alternatives.
func (cr *commandReach) commandFiles(own []*ssa.Function) map[string]bool {
	out := map[string]bool{}
	for _, fn := range own {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if !declaresCommand(instr) {
					continue
				}
				if pos := instr.Pos(); pos.IsValid() {
					out[cr.p.Fset.File(pos).Name()] = true
				} else if f := cr.file(fn); f != "" {
					out[f] = true
				}
			}
		}
	}
	return out
}

// minPackageCommands is how many of the module's packages a main must
// call on mutually exclusive paths to be a multi-call binary: two could
// be a fallback (if err != nil { report.Failure(err); return };
// server.Run()).
const minPackageCommands = 3

// packageCommand names the command running a package after its path,
// without the words that say a directory holds commands:
// cmd/argocd-server/commands → argocd-server.
func packageCommand(path string) string {
	parts := strings.Split(path, "/")
	for i := len(parts) - 1; i > 0; i-- {
		switch parts[i] {
		case "commands", "command", "cmd", "cmds", "cli", "app", "internal":
			continue
		}
		return parts[i]
	}
	return parts[len(parts)-1]
}

// alternatives returns what a dispatching function calls on mutually
// exclusive paths with something else of the same kind: one run takes
// one of them, so each is a command. Calls made one after the other
// (loadConfig(), then serve()) are parts of one run, not commands. With
// packages false, the calls are of the main package's functions and the
// result is their files (switch os.Args[1] { case "query": runQuery();
// case "store": runStore() }, runQuery in query.go); with packages true,
// they are of the module's other packages' functions and the result is
// their paths (case "argocd-server": apiserver.NewCommand()).
func (cr *commandReach) alternatives(dispatch []*ssa.Function, sp *ssa.Package, mainFile string, packages bool) map[string]bool {
	out := map[string]bool{}
	for _, d := range dispatch {
		type call struct {
			block *ssa.BasicBlock
			file  string
		}
		var calls []call
		for _, b := range d.Blocks {
			for _, instr := range b.Instrs {
				site, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				fn := site.Common().StaticCallee()
				if fn == nil || fn.Pkg == nil {
					continue
				}
				switch {
				case packages:
					if fn.Pkg != sp && cr.component(fn) != "" && cr.declaresCommands(fn.Pkg) {
						calls = append(calls, call{b, fn.Pkg.Pkg.Path()})
					}
				case fn.Pkg == sp:
					if f := cr.file(fn); f != "" && f != mainFile {
						calls = append(calls, call{b, f})
					}
				}
			}
		}
		if len(calls) < 2 {
			continue
		}
		reach := map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool{}
		reaches := func(a, b *ssa.BasicBlock) bool {
			if reach[a] == nil {
				seen := map[*ssa.BasicBlock]bool{}
				work := slices.Clone(a.Succs)
				for len(work) > 0 {
					x := work[len(work)-1]
					work = work[:len(work)-1]
					if !seen[x] {
						seen[x] = true
						work = append(work, x.Succs...)
					}
				}
				reach[a] = seen
			}
			return a == b || reach[a][b]
		}
		for i, x := range calls {
			for _, y := range calls[i+1:] {
				if x.file != y.file && !reaches(x.block, y.block) && !reaches(y.block, x.block) {
					out[x.file], out[y.file] = true, true
				}
			}
		}
	}
	return out
}

// declaresCommands reports whether a package of the module declares a
// command to a command-line framework (see commandFiles): a package a
// multi-call binary runs builds its command (argocd-server's
// commands.NewCommand returns a *cobra.Command), where a logger or an
// HTTP server package a main calls on one path or another does not.
func (cr *commandReach) declaresCommands(sp *ssa.Package) bool {
	if v, ok := cr.declaring[sp]; ok {
		return v
	}
	found := slices.ContainsFunc(cr.p.packageFuncs()[sp], func(fn *ssa.Function) bool {
		return slices.ContainsFunc(fn.Blocks, func(b *ssa.BasicBlock) bool { return slices.ContainsFunc(b.Instrs, declaresCommand) })
	})
	cr.declaring[sp] = found
	return found
}

// commandRegistrations name the functions and methods that add a command
// to a command-line framework (kingpin's app.Command, cobra's AddCommand).
var commandRegistrations = map[string]bool{"Command": true, "AddCommand": true, "AddCommands": true, "Subcommand": true, "NewCommand": true}

func declaresCommand(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.Alloc:
		named, ok := types.Unalias(instr.Type().(*types.Pointer).Elem()).(*types.Named)
		return ok && named.Obj().Name() == "Command"
	case ssa.CallInstruction:
		c := instr.Common()
		if c.IsInvoke() {
			return commandRegistrations[c.Method.Name()]
		}
		if fn := c.StaticCallee(); fn != nil {
			return commandRegistrations[fn.Name()]
		}
	}
	return false
}

// file returns the file declaring fn (its enclosing function's, for a
// closure), or "" for a synthetic function.
func (cr *commandReach) file(fn *ssa.Function) string {
	for fn.Pos() == token.NoPos && fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn.Pos() == token.NoPos {
		return ""
	}
	return cr.p.Fset.File(fn.Pos()).Name()
}

// next calls visit for every function fn may run or hand over: the
// functions its instructions name (calls, function values, closures) and
// the methods of the module's types it converts to an interface that the
// interface names, since whoever receives the value may call them
// (net/http calls a handler's ServeHTTP). A call through an interface needs no resolving
// then: it can only run a method of a type some reached code converted.
// So a helper closing an io.Closer does not reach every Close of the
// module, only those of the types the command itself created; a call
// resolution without context would tie every command to every other
// through such helpers. Other packages' initialisation is left out: it
// runs in every program.
func (cr *commandReach) next(fn *ssa.Function, visit func(*ssa.Function)) {
	var ops []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mi, ok := instr.(*ssa.MakeInterface); ok {
				for _, m := range cr.methods(mi.X.Type(), mi.Type()) {
					visit(m)
				}
			}
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil {
					if g, ok := (*op).(*ssa.Function); ok && (g.Synthetic != "package initializer" || g.Pkg == fn.Pkg) && !configMethod(g) {
						visit(g)
					}
					if gl, ok := (*op).(*ssa.Global); ok {
						for _, g := range cr.heldFuncs(gl) {
							visit(g)
						}
					}
				}
			}
		}
	}
}

// configMethod reports whether fn is a method of a configuration type
// (named ...Config, ...Options, ...Flags): registering flags, validating,
// filling defaults. A program's configuration aggregates every part's
// (Cortex's Config.RegisterFlags calls the ruler's, the frontend's, …), so
// following it would have every command reach every part it can
// configure, not only those it runs. A method named for running what it
// configures (SeaweedFS's S3Options.startS3Server) is no configuration.
func configMethod(fn *ssa.Function) bool {
	return graph.ConfigType(RecvName(fn)) && !runsSomething(fn.Name())
}

// runsSomething reports whether a function's name says it runs or starts
// something: start…, run…, serve…, in either case.
func runsSomething(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc([]string{"start", "run", "serve"}, func(w string) bool { return strings.HasPrefix(lower, w) })
}

// methods returns the methods of a type that an interface it is converted
// to names, where the module declares them (or the types it embeds): the
// calls the receiver of the interface value can make. Converting *API to
// services.Service reaches its Start and Stop, not every method of API.
func (cr *commandReach) methods(t, iface types.Type) []*ssa.Function {
	key := [2]types.Type{t, iface}
	if ms, ok := cr.meths[key]; ok {
		return ms
	}
	var out []*ssa.Function
	if it, ok := iface.Underlying().(*types.Interface); ok && it.NumMethods() > 0 && cr.moduleType(t) {
		mset := cr.p.SSA.MethodSets.MethodSet(t)
		for m := range it.Methods() {
			if sel := mset.Lookup(m.Pkg(), m.Name()); sel != nil {
				if fn := cr.p.SSA.MethodValue(sel); fn != nil {
					out = append(out, fn)
				}
			}
		}
	}
	cr.meths[key] = out
	return out
}

// moduleType reports whether t is a named type of the module, or a
// pointer to one.
func (cr *commandReach) moduleType(t types.Type) bool {
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.TypeParams().Len() == 0 && cr.p.ComponentOf(named.Obj().Pkg().Path()) != ""
}

func (cr *commandReach) component(fn *ssa.Function) string {
	id, ok := cr.comp[fn]
	if !ok {
		id = cr.p.FuncComponent(fn)
		cr.comp[fn] = id
	}
	return id
}

// walk returns the components of the functions reachable from start by the
// calls and function values their code names, not entering the functions
// of stop.
func (cr *commandReach) walk(start []*ssa.Function, stop map[*ssa.Function]bool) map[string]bool {
	out := map[string]bool{}
	cr.reach(start, stop, func(_ *ssa.Function, id string) bool {
		out[id] = true
		return true
	})
	return out
}

// reach calls visit, with its component, for every function of the module
// reachable from start by what next follows, not entering the functions of
// stop nor the dependencies' (their bodies are not loaded), until visit
// returns false.
func (cr *commandReach) reach(start []*ssa.Function, stop map[*ssa.Function]bool, visit func(fn *ssa.Function, id string) bool) {
	seen := map[*ssa.Function]bool{}
	work := slices.Clone(start)
	for _, fn := range start {
		seen[fn] = true
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		id := cr.component(fn)
		if id == "" {
			continue // a dependency: its body is not loaded
		}
		if !visit(fn, id) {
			return
		}
		cr.next(fn, func(g *ssa.Function) {
			if !seen[g] && !stop[g] {
				seen[g] = true
				work = append(work, g)
			}
		})
	}
}
