package detect

import (
	"go/constant"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer/link"
)

// detectIPC recognises local inter-process links: sockets (Unix sockets
// matched by path, TCP on this machine by port), binaries started with
// os/exec, named pipes, and files at constant paths.
func detectIPC(s *site) {
	if s.call == nil {
		return
	}
	switch s.pkg {
	case "net":
		netSocket(s)
	case "os/exec":
		if s.recv == "" && (s.name == "Command" || s.name == "CommandContext") {
			name := s.arg(0)
			if s.name == "CommandContext" {
				name = s.arg(1)
			}
			if bin, exact := s.str(name); exact && bin != "" {
				s.fact(link.Exec, link.ExecMech, path.Base(filepath.ToSlash(bin)), "exec "+bin)
			}
		}
	case "syscall", "golang.org/x/sys/unix":
		if s.name == "Mkfifo" {
			if p, exact := s.str(s.arg(0)); exact {
				s.fact(link.Listen, link.Pipe, path.Clean(p), "mkfifo")
			} else {
				s.unresolved("named pipe path", p)
			}
		}
	case "os":
		osFile(s)
	}
}

// netSocket handles net.Listen/Dial and their variants; the network
// argument picks unix (keyed by path) or tcp (keyed by port).
func netSocket(s *site) {
	var role string
	var network, addr ssa.Value
	switch {
	case s.recv == "" && (s.name == "Listen" || s.name == "ListenPacket"):
		role, network, addr = link.Listen, s.arg(0), s.arg(1)
	case s.recv == "" && (s.name == "Dial" || s.name == "DialTimeout"):
		role, network, addr = link.Dial, s.arg(0), s.arg(1)
	case s.recv == "Dialer" && (s.name == "Dial" || s.name == "DialContext"):
		i := len(s.args) - 2
		role, network, addr = link.Dial, s.arg(i), s.arg(i+1)
	case s.recv == "ListenConfig" && (s.name == "Listen" || s.name == "ListenPacket"):
		role, network, addr = link.Listen, s.arg(1), s.arg(2)
	case s.recv == "" && s.name == "ListenUnix":
		role, network, addr = link.Listen, s.arg(0), unixAddrName(s.arg(1))
	case s.recv == "" && s.name == "DialUnix":
		role, network, addr = link.Dial, s.arg(0), unixAddrName(s.arg(2))
	default:
		return
	}
	n, _ := s.str(network)
	a, exact := s.str(addr)
	switch {
	case strings.HasPrefix(n, "unix"):
		if !exact || a == "" {
			s.unresolved("Unix socket path", a)
			return
		}
		s.fact(role, link.Unix, path.Clean(a), "net."+s.name+" "+n)
	case strings.HasPrefix(n, "tcp"):
		if !exact {
			if role == link.Listen {
				s.unresolved("listen address", a)
			}
			return
		}
		if port, local := link.Port(a); port != "" && (local || role == link.Listen) {
			s.fact(role, link.TCP, port, "net."+s.name+" "+a)
		}
	}
}

// unixAddrName finds the path of a *net.UnixAddr built in place, by
// net.ResolveUnixAddr or as a &net.UnixAddr{Name: …} literal.
func unixAddrName(v ssa.Value) ssa.Value {
	switch a := v.(type) {
	case *ssa.Extract:
		if c, ok := a.Tuple.(*ssa.Call); ok && calleeName(c) == "ResolveUnixAddr" && len(c.Call.Args) == 2 {
			return c.Call.Args[1]
		}
	case *ssa.Alloc:
		for _, r := range *a.Referrers() {
			if fa, ok := r.(*ssa.FieldAddr); ok && fa.Field == 0 {
				for _, rr := range *fa.Referrers() {
					if st, ok := rr.(*ssa.Store); ok {
						return st.Val
					}
				}
			}
		}
	}
	return nil
}

// osFile records files opened at constant paths; paths that are not
// constant are common (user input) and not reported.
func osFile(s *site) {
	if s.recv != "" {
		return
	}
	var role string
	switch s.name {
	case "Create", "WriteFile":
		role = link.Write
	case "Open", "ReadFile":
		role = link.Read
	case "OpenFile":
		role = link.Read
		if c, ok := s.arg(1).(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
			flag, _ := constant.Int64Val(c.Value)
			if flag&int64(os.O_WRONLY|os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_TRUNC) != 0 {
				role = link.Write
			}
		}
	default:
		return
	}
	if p, exact := s.str(s.arg(0)); exact && p != "" {
		s.fact(role, link.File, path.Clean(filepath.ToSlash(p)), "os."+s.name)
	}
}

// binaries records the program each main package builds, named as `go
// build` names it: after the package's directory, or the module's last
// path element for a main package at a module root.
func (d *pass) binaries() {
	for _, pkg := range d.p.Packages {
		if pkg.Name != "main" || pkg.Types == nil {
			continue
		}
		main, ok := pkg.Types.Scope().Lookup("main").(*types.Func)
		if !ok {
			continue
		}
		name := path.Base(pkg.PkgPath)
		if pkg.Module != nil && pkg.PkgPath == pkg.Module.Path {
			name = path.Base(strings.TrimSuffix(pkg.Module.Path, "/"))
		}
		d.add(link.Fact{Component: d.p.ComponentOf(pkg.PkgPath), Role: link.Binary, Mechanism: link.ExecMech,
			Key: name, Pos: d.p.RelPos(main.Pos()), Detail: "package main " + pkg.PkgPath})
	}
}
