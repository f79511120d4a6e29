package manifest

import (
	"math"

	"github.com/podsplit/podsplit/graph"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Resource requests. Without a CPU profile every main container asks for
// defaultCPU and every sidecar for sidecarCPU. With one, cpuBudget — the
// whole application's CPU request — is split among containers by their
// share of the profiled CPU time, never below minCPU.
const (
	cpuBudget     = 1000 // millicores
	defaultCPU    = 100
	sidecarCPU    = 50
	minCPU        = 25
	mainMemory    = 128 // MiB
	sidecarMemory = 64
)

// resources returns the requests and limits of each container of u.
func (b *builder) resources(u unit) map[string]corev1.ResourceRequirements {
	self, total := b.self, b.selfTotal
	out := map[string]corev1.ResourceRequirements{}
	for _, bx := range u.boxes() {
		cpu, mem := int64(sidecarCPU), int64(sidecarMemory)
		if bx.name == u.main.name {
			cpu, mem = defaultCPU, mainMemory
		}
		if total > 0 {
			var ns int64
			for _, id := range bx.c.Components {
				ns += self[id]
			}
			cpu = max(minCPU, roundTo(float64(cpuBudget)*float64(ns)/float64(total), 5))
		}
		out[bx.name] = requirements(cpu, mem)
	}
	return out
}

// selfCPU estimates each component's own CPU time from the profile: the
// time spent below calls into it, less the time below its calls out. The
// entry points' own time is not seen this way, hence the floor minCPU.
func selfCPU(edges []*graph.Edge) (self map[string]int64, total int64) {
	self = map[string]int64{}
	for _, e := range edges {
		self[e.To] += e.CPUNs
		self[e.From] -= e.CPUNs
	}
	for id, ns := range self {
		if ns <= 0 {
			delete(self, id)
		} else {
			total += ns
		}
	}
	return self, total
}

// requirements requests cpu millicores and mem MiB. Memory is limited to
// twice the request, so that a leak is stopped; CPU is not limited, since
// throttling adds latency the plan's budget does not account for.
func requirements(cpu, mem int64) corev1.ResourceRequirements {
	return corev1.ResourceRequirements{
		Requests: corev1.ResourceList{
			corev1.ResourceCPU:    *resource.NewMilliQuantity(cpu, resource.DecimalSI),
			corev1.ResourceMemory: *resource.NewQuantity(mem<<20, resource.BinarySI),
		},
		Limits: corev1.ResourceList{
			corev1.ResourceMemory: *resource.NewQuantity(2*mem<<20, resource.BinarySI),
		},
	}
}

func roundTo(x float64, step int64) int64 {
	return int64(math.Round(x/float64(step))) * step
}
