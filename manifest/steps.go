package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/plan"
)

// maxSlug bounds the descriptive part of a step directory's name.
const maxSlug = 40

// stepDirs names the directory of every step: NN-slug, where the slug says
// what the step does in words that stay the same when the plan's prose
// changes: "monolith", "mesh", "sidecar-<containers>", "extract-<services>".
func stepDirs(steps []plan.Step) []string {
	dirs := make([]string, len(steps))
	seen := map[string]bool{}
	for i, st := range steps {
		var prev []plan.Service
		if i > 0 {
			prev = steps[i-1].Topology
		}
		dir := fmt.Sprintf("%02d-%s", st.N, stepSlug(st, prev))
		for n := 2; seen[dir]; n++ {
			dir = fmt.Sprintf("%02d-%s-%d", st.N, stepSlug(st, prev), n)
		}
		seen[dir] = true
		dirs[i] = dir
	}
	return dirs
}

func stepSlug(st plan.Step, prev []plan.Service) string {
	switch st.Kind {
	case "monolith", "mesh":
		return st.Kind
	case "extract":
		if added := newServices(st.Topology, prev); len(added) > 0 {
			return dnsLabel("extract-"+strings.Join(added, "-"), maxSlug)
		}
	case "sidecar":
		if added := newContainers(st.Topology, prev); len(added) > 0 {
			return dnsLabel("sidecar-"+strings.Join(added, "-"), maxSlug)
		}
	}
	if st.Title != "" {
		return dnsLabel(st.Title, maxSlug)
	}
	return dnsLabel("step", maxSlug)
}

// newServices lists the services of topology that prev does not have.
func newServices(topology, prev []plan.Service) []string {
	old := map[string]bool{}
	for _, s := range prev {
		old[name(s.Name)] = true
	}
	var added []string
	for _, s := range topology {
		if !old[name(s.Name)] {
			added = append(added, name(s.Name))
		}
	}
	slices.Sort(added)
	return added
}

// newContainers lists the containers of topology that prev does not have.
func newContainers(topology, prev []plan.Service) []string {
	old := containerComponents(prev)
	var added []string
	for n := range containerComponents(topology) {
		if _, ok := old[n]; !ok {
			added = append(added, n)
		}
	}
	slices.Sort(added)
	return added
}

// containerComponents maps each container name of a topology to its sorted
// components, joined: the container's identity for image purposes.
func containerComponents(topology []plan.Service) map[string]string {
	out := map[string]string{}
	for _, s := range topology {
		for _, c := range s.Containers {
			comps := slices.Clone(c.Components)
			slices.Sort(comps)
			out[name(c.Name)] = strings.Join(comps, " ")
		}
	}
	return out
}

// imageTags gives every container of every step the tag of its image: the
// step at which the container last changed, "step-NN". A container changes
// when it first appears, when its components change, or when a call site
// cut by the step lies in (or leads into) one of its components, since the
// code at both ends of a cut changes. Unchanged containers keep their tag,
// so a step restarts only the Pods whose code it changes.
func imageTags(steps []plan.Step) []map[string]string {
	tags := make([]map[string]string, len(steps))
	var prevComps map[string]string
	for i, st := range steps {
		tags[i] = map[string]string{}
		comps := containerComponents(st.Topology)
		cut := map[string]bool{}
		for _, c := range st.Cut {
			cut[c.From], cut[c.To] = true, true
		}
		for n, set := range comps {
			old, seen := prevComps[n]
			changed := !seen || old != set || touches(set, cut)
			if changed || i == 0 {
				tags[i][n] = fmt.Sprintf("step-%02d", st.N)
			} else {
				tags[i][n] = tags[i-1][n]
			}
		}
		prevComps = comps
	}
	return tags
}

func touches(joined string, cut map[string]bool) bool {
	for _, id := range strings.Fields(joined) {
		if cut[id] {
			return true
		}
	}
	return false
}
