package polyglot

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

var (
	protoPackage = regexp.MustCompile(`^\s*package\s+([\w.]+)\s*;`)
	protoService = regexp.MustCompile(`^\s*service\s+(\w+)\s*\{?`)
)

// readProtos indexes the services the repository's .proto files declare,
// so a stub named after a service ("OrdersStub") gets the full name
// ("shop.v1.Orders") the Go side uses.
func (ix *index) readProtos(root string, rels []string) {
	ix.services = map[string][]string{}
	for _, rel := range rels {
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			continue
		}
		pkg := ""
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if m := protoPackage.FindStringSubmatch(sc.Text()); m != nil {
				pkg = m[1]
			}
			if m := protoService.FindStringSubmatch(sc.Text()); m != nil {
				full := joinModule(pkg, m[1])
				ix.services[m[1]] = append(ix.services[m[1]], full)
			}
		}
		f.Close()
	}
	for k, v := range ix.services {
		slices.Sort(v)
		ix.services[k] = slices.Compact(v)
	}
}

// serviceName returns the full name of the service a stub is named after,
// or the short name when the .proto files do not tell it unambiguously.
func (ix *index) serviceName(short string) string {
	if full := ix.services[short]; len(full) == 1 {
		return full[0]
	}
	return short
}

var (
	pyServicerAdd = regexp.MustCompile(`^add_(\w+)Servicer_to_server$`)
	jsServiceDef  = regexp.MustCompile(`(\w+)Service$`)
)

// detectGRPC finds gRPC clients (Python XStub(channel), Java
// XGrpc.newBlockingStub(channel), JS new XClient(…) from generated code)
// and servers (add_XServicer_to_server, a class extending
// XGrpc.XImplBase or XServicer, server.addService(XService, …)).
func detectGRPC(d *detection) {
	for _, c := range d.f.Calls {
		switch svc, role := d.grpcCall(c); {
		case svc == "":
		default:
			d.fact(role, link.GRPC, d.ix.serviceName(svc), c.Line, "gRPC "+c.Name)
		}
	}
	for _, dc := range d.f.Decls {
		for _, b := range dc.Bases {
			if svc := grpcBase(b); dc.Kind == "class" && svc != "" {
				d.fact(link.Serve, link.GRPC, d.ix.serviceName(svc), dc.Line, "gRPC servicer "+dc.Name)
			}
		}
	}
}

// grpcCall names the service a call is a client or server of, with the role.
func (d *detection) grpcCall(c *call) (string, string) {
	recv := c.recvName()
	switch d.f.Lang {
	case Python:
		if m := pyServicerAdd.FindStringSubmatch(c.Name); m != nil {
			return m[1], link.Serve
		}
		if strings.HasSuffix(c.Name, "Stub") && len(c.Name) > 4 && (strings.HasSuffix(recv, "_pb2_grpc") || strings.HasSuffix(d.libs[c.Name], "_pb2_grpc."+c.Name)) {
			return strings.TrimSuffix(c.Name, "Stub"), link.Call
		}
	case Java:
		if strings.HasPrefix(c.Name, "new") && strings.HasSuffix(c.Name, "Stub") && strings.HasSuffix(recv, "Grpc") && len(recv) > 4 {
			return strings.TrimSuffix(lastDot(recv), "Grpc"), link.Call
		}
	default:
		lib := d.libs[c.Name]
		if c.New && strings.HasSuffix(c.Name, "Client") && strings.Contains(lib, "_grpc_pb") {
			return strings.TrimSuffix(c.Name, "Client"), link.Call
		}
		if c.Name == "addService" && len(c.Args) > 0 && c.Args[0].Kind == vName {
			arg := c.Args[0].Str
			if m := jsServiceDef.FindStringSubmatch(arg); m != nil && strings.Contains(d.libs[arg], "_grpc_pb") {
				return m[1], link.Serve
			}
			if s, ok := strings.CutSuffix(arg, ".service"); ok {
				return lastDot(s), link.Serve
			}
		}
	}
	return "", ""
}

// grpcBase names the service a base class implements: OrdersGrpc.OrdersImplBase
// (Java) or orders_pb2_grpc.OrdersServicer (Python).
func grpcBase(b string) string {
	b = lastDot(b)
	if s, ok := strings.CutSuffix(b, "ImplBase"); ok && s != "" {
		return s
	}
	if s, ok := strings.CutSuffix(b, "Servicer"); ok && s != "" {
		return s
	}
	return ""
}
