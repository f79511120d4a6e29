package evidence

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// A profileInput is one parsed CPU profile and the index of its CPU value.
type profileInput struct {
	path string
	prof *profile.Profile
	cpu  int
}

// loadProfile parses a pprof profile (gzip or raw protobuf) and finds its
// CPU time. Data that is no profile at all is ErrUnknownKind.
func loadProfile(data []byte) (in profileInput, err error) {
	defer func() {
		if r := recover(); r != nil {
			in, err = profileInput{}, fmt.Errorf("%w (parsing pprof data: %v)", ErrUnknownKind, r)
		}
	}()
	p, err := profile.ParseData(data)
	if err != nil || len(p.SampleType) == 0 {
		return profileInput{}, ErrUnknownKind
	}
	if err := p.CheckValid(); err != nil {
		return profileInput{}, fmt.Errorf("invalid pprof profile: %w", err)
	}
	cpu := cpuIndex(p)
	if cpu < 0 {
		var types []string
		for _, st := range p.SampleType {
			types = append(types, st.Type+"/"+st.Unit)
		}
		return profileInput{}, fmt.Errorf("pprof profile without CPU time (sample types %s): only CPU profiles are used", strings.Join(types, ", "))
	}
	return profileInput{prof: p, cpu: cpu}, nil
}

// cpuIndex returns the index of the sample value that is CPU time in
// nanoseconds, or -1.
func cpuIndex(p *profile.Profile) int {
	for i, st := range p.SampleType {
		if st.Type == "cpu" && st.Unit == "nanoseconds" {
			return i
		}
	}
	return -1
}

// minSamples is the number of samples (a tenth of a second of CPU at the
// default rate) below which a profile that never enters the module's code
// is taken as too short rather than as another program's.
const minSamples = 10

// A frame is one function on a stack, inlined or not, with the line it is
// at: for a caller, the line of the call.
type frame struct {
	fn   string
	file string
	line int64
}

// frames lists the frames of a sample from the leaf to the root. A location
// holds its inlined calls innermost first.
func frames(s *profile.Sample) []frame {
	var out []frame
	for _, loc := range s.Location {
		for _, l := range loc.Line {
			if l.Function != nil {
				out = append(out, frame{l.Function.Name, l.Function.Filename, l.Line})
			}
		}
	}
	return out
}

type pairKey struct{ caller, callee string }

// profileTally counts what one profile could be tied to.
type profileTally struct {
	funcs     map[string]int   // function name → frame status, for frames of the module
	unmapped  map[string]int64 // unmapped function → CPU ns
	unmatched map[edgeKey]int64
	symbols   int // samples with at least one named frame
	samples   int
}

// applyProfiles gives call edges the CPU time spent below their calls, and
// keeps per-function-pair weights for apportioning dynamic sites.
func (m *merger) applyProfiles(profiles []profileInput) {
	for _, in := range profiles {
		m.profiled = true
		t := &profileTally{funcs: map[string]int{}, unmapped: map[string]int64{}, unmatched: map[edgeKey]int64{}}
		for _, s := range in.prof.Sample {
			if v := s.Value[in.cpu]; v > 0 {
				m.applySample(s, v, t)
			}
		}
		m.reportProfile(in.path, t)
	}
}

// applySample attributes one sample: each pair of components is counted
// once per sample, so recursion does not count time twice.
func (m *merger) applySample(s *profile.Sample, v int64, t *profileTally) {
	fs := frames(s)
	t.samples++
	if len(fs) > 0 {
		t.symbols++
	}
	infos := make([]frameInfo, len(fs))
	for i, f := range fs {
		infos[i] = m.names.frame(f.fn, f.file)
		if infos[i].status != frameExternal {
			t.funcs[f.fn] = infos[i].status
		}
		if infos[i].status == frameUnmapped {
			t.unmapped[f.fn] += v
		}
	}
	seen := map[any]bool{}
	once := func(k any) bool {
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for i := 0; i+1 < len(fs); i++ {
		callee, caller := infos[i], infos[i+1]
		if callee.status != frameMapped || caller.status != frameMapped || callee.comp == caller.comp {
			continue
		}
		if wk := (pairKey{caller.key, callee.key}); once(wk) {
			m.weights[wk] += v
		}
		ek := edgeKey{caller.comp, callee.comp}
		e := m.calls[ek]
		if e == nil {
			if once(ek) {
				t.unmatched[ek] += v
			}
			continue
		}
		if once(ek) {
			e.CPUNs += v
		}
		pos := m.framePos(caller, fs[i+1])
		if once(pos + "\x00" + e.From + "\x00" + e.To) {
			m.note(e, pos).cpuNs += v
		}
	}
}

// framePos is the repository position of a caller frame's call.
func (m *merger) framePos(fi frameInfo, f frame) string {
	if abs, ok := m.files.pkgFile(fi.pkg, f.file); ok {
		return fmt.Sprintf("%s:%d", m.res.Program.RelFile(abs), f.line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(f.file), f.line)
}

// reportProfile turns the tally of a profile into statistics and
// diagnostics.
func (m *merger) reportProfile(path string, t *profileTally) {
	mapped, unmapped := 0, 0
	for _, st := range t.funcs {
		switch st {
		case frameMapped:
			mapped++
		case frameUnmapped:
			unmapped++
		}
	}
	m.stats.FramesMapped += mapped
	m.stats.FramesUnmapped += unmapped
	m.stats.PairsUnmatched += len(t.unmatched)
	switch {
	case t.samples > 0 && t.symbols*2 < t.samples:
		m.loud(path, "the profile is not symbolized (%d of %d samples have no function names); record it with go test -cpuprofile or runtime/pprof", t.samples-t.symbols, t.samples)
	case len(t.funcs) == 0 && t.samples >= minSamples:
		m.loud(path, "none of its %d samples is in the module's code; was it recorded from another program?", t.samples)
	case len(t.funcs) == 0 && t.samples > 0:
		m.diag(path, "the profile has %d samples, none in the module's code: too few to weigh edges", t.samples)
	case unmapped > mapped:
		m.loud(path, "%d of %d functions of the module in the profile match no function of this code; record again from this version", unmapped, mapped+unmapped)
	}
	if len(t.unmapped) > 0 {
		names := slices.SortedFunc(func(yield func(string) bool) {
			for n := range t.unmapped {
				if !yield(n) {
					return
				}
			}
		}, func(a, b string) int { return cmp.Or(cmp.Compare(t.unmapped[b], t.unmapped[a]), cmp.Compare(a, b)) })
		m.diag(path, "%d functions of the profile match no function of this code (changed since?): %s", len(names), listed(names, 10))
	}
	for _, k := range sortedEdgeKeys(t.unmatched) {
		m.diag(path, "the CPU profile saw %s call %s (%s CPU) but the code has no call edge between them (a call through a function value the analysis did not resolve?)",
			k.from, k.to, formatNs(t.unmatched[k]))
	}
}

func sortedEdgeKeys[V any](m map[edgeKey]V) []edgeKey {
	keys := make([]edgeKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b edgeKey) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })
	return keys
}

// formatNs renders a duration to three significant digits or so.
func formatNs(ns int64) string {
	d := time.Duration(ns)
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Microsecond).String()
	}
	return d.String()
}
