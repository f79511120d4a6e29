package evidence

import (
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// serviceComponent maps a service name of the traces to a component: by
// the configured mapping, else by ServiceComponent.
func (m *merger) serviceComponent(service string) (string, bool) {
	if want, ok := m.opts.Services[service]; ok {
		for _, c := range m.g.Components {
			if c.ID == want || c.Name == want {
				return c.ID, true
			}
		}
		// A package path of a component that groups several packages.
		if id := m.res.Program.ComponentOf(want); id != "" && m.g.Component(id) != nil {
			return id, true
		}
		return "", false
	}
	id := ServiceComponent(m.g, service)
	return id, id != ""
}

// ServiceComponent returns the component a service name stands for, or ""
// when none or several do. It tries, in turn, the component id, the
// component name, the last element of the name, each ignoring case, and
// then the service name without a "-service" or "-svc" suffix.
func ServiceComponent(g *graph.Graph, service string) string {
	names := []string{service}
	lower := strings.ToLower(service)
	for _, suffix := range []string{"-service", "_service", "-svc", "_svc"} {
		if trimmed, ok := strings.CutSuffix(lower, suffix); ok && trimmed != "" {
			names = append(names, trimmed)
		}
	}
	keys := []func(*graph.Component) string{
		func(c *graph.Component) string { return c.ID },
		func(c *graph.Component) string { return c.Name },
		func(c *graph.Component) string { return c.Name[strings.LastIndexByte(c.Name, '/')+1:] },
	}
	for _, name := range names {
		for _, key := range keys {
			if id := uniqueMatch(g, name, key); id != "" {
				return id
			}
		}
	}
	return ""
}

func uniqueMatch(g *graph.Graph, name string, key func(*graph.Component) string) string {
	found := ""
	for _, c := range g.Components {
		if c.External || !strings.EqualFold(key(c), name) {
			continue
		}
		if found != "" {
			return ""
		}
		found = c.ID
	}
	return found
}
