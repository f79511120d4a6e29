package evidence

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"slices"

	"golang.org/x/tools/cover"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
)

// A block is a counted range of a file, "line.col" to "line.col" inclusive.
type block struct {
	startLine, startCol, endLine, endCol int
	count                                int64
}

func (b block) contains(line, col int) bool {
	after := line > b.startLine || (line == b.startLine && col >= b.startCol)
	before := line < b.endLine || (line == b.endLine && col <= b.endCol)
	return after && before
}

// applyCoverage sums the blocks of every coverage input by file and gives
// each cross-component call site the count of the block that holds it.
func (m *merger) applyCoverage(covers []coverInput) {
	if len(covers) == 0 {
		return
	}
	idx := map[string][]block{}
	for _, c := range covers {
		m.indexCoverage(c, idx)
	}
	for f, bs := range idx {
		idx[f] = mergeBlocks(bs)
	}
	m.countSites(idx)
}

// indexCoverage adds the blocks of one input to idx, by absolute file name,
// and counts the blocks that name no file of the repository.
func (m *merger) indexCoverage(c coverInput, idx map[string][]block) {
	mapped, unmapped := 0, 0
	var missing []string
	for _, p := range c.profiles {
		if p.Mode == "set" {
			m.diag(c.path, "coverage was recorded with -covermode=set: counts are 0 or 1, not frequencies; record with -covermode=count or atomic")
		}
		abs, ok := m.files.coverFile(p.FileName)
		if !ok && m.outsideScan(path.Dir(p.FileName)) {
			continue
		}
		if !ok || m.stale(abs, p.Blocks) {
			unmapped += len(p.Blocks)
			missing = append(missing, p.FileName)
			continue
		}
		mapped += len(p.Blocks)
		for _, b := range p.Blocks {
			idx[abs] = append(idx[abs], block{b.StartLine, b.StartCol, b.EndLine, b.EndCol, int64(b.Count)})
		}
	}
	m.stats.BlocksMapped += mapped
	m.stats.BlocksUnmapped += unmapped
	if unmapped == 0 {
		return
	}
	slices.Sort(missing)
	m.diag(c.path, "%d coverage blocks in %d files match no file of this code (missing or changed since): %s",
		unmapped, len(missing), listed(missing, 5))
	if unmapped > mapped {
		m.loud(c.path, "%d of %d coverage blocks name files that are not in this code or have changed since; record again from this version",
			unmapped, unmapped+mapped)
	}
}

// outsideScan reports a package of the analysed modules that was not
// loaded (the scan was narrowed by patterns): its data is not an error.
func (m *merger) outsideScan(pkg string) bool {
	return m.res.Program.ComponentOf(pkg) != "" && !m.names.loaded[pkg]
}

// stale reports a file shorter than its blocks say: it changed since.
func (m *merger) stale(abs string, blocks []cover.ProfileBlock) bool {
	n := m.files.lines[abs]
	return n > 0 && slices.ContainsFunc(blocks, func(b cover.ProfileBlock) bool { return b.EndLine > n })
}

// mergeBlocks sorts blocks and sums those with the same range, which
// several inputs of the same code give.
func mergeBlocks(bs []block) []block {
	slices.SortFunc(bs, func(a, b block) int {
		return cmp.Or(cmp.Compare(a.startLine, b.startLine), cmp.Compare(a.startCol, b.startCol),
			cmp.Compare(a.endLine, b.endLine), cmp.Compare(a.endCol, b.endCol))
	})
	out := bs[:0]
	for _, b := range bs {
		if n := len(out); n > 0 && out[n-1].startLine == b.startLine && out[n-1].startCol == b.startCol &&
			out[n-1].endLine == b.endLine && out[n-1].endCol == b.endCol {
			out[n-1].count += b.count
			continue
		}
		out = append(out, b)
	}
	return out
}

// innermost returns the block holding line:col that starts last, or false.
func innermost(bs []block, line, col int) (block, bool) {
	var best block
	found := false
	for _, b := range bs {
		if b.startLine > line {
			break
		}
		if b.contains(line, col) {
			best, found = b, true
		}
	}
	return best, found
}

// countSites attributes the count of its block to each measured site.
func (m *merger) countSites(idx map[string][]block) {
	var outside []*analyzer.Site
	for _, s := range m.res.Sites {
		bs, ok := idx[s.Pos.Filename]
		if !ok {
			m.stats.SitesUnmeasured++
			continue
		}
		b, ok := innermost(bs, s.Pos.Line, s.Pos.Column)
		bound := ""
		if !ok {
			b, ok = m.switchBlock(s, bs)
			bound = "at most: a case expression, counted by its switch"
		}
		if !ok {
			m.stats.SitesUnmapped++
			outside = append(outside, s)
			continue
		}
		m.stats.SitesMeasured++
		if bound != "" {
			m.stats.SitesBounded++
		}
		if b.count > 0 {
			m.stats.SitesExecuted++
		}
		m.attribute(s, b.count, bound)
	}
	for i, s := range outside {
		if i == maxListed {
			m.diag("", "%d more call sites lie in no counted block", len(outside)-maxListed)
			break
		}
		m.diag(s.RelPos, "call site lies in no counted block of the coverage: its executions are unknown")
	}
}

// maxListed caps the diagnostics listed one by one for one kind of problem.
const maxListed = 20

// attribute adds n executions of site s to its edges and callees, shared
// among the callees of a dynamic site.
func (m *merger) attribute(s *analyzer.Site, n int64, bound string) {
	shares, how := m.apportion(s, n)
	perEdge := map[*graph.Edge]int64{}
	var order []*graph.Edge
	for i, fn := range s.Callees {
		e := m.calls[edgeKey{s.From, s.To[i]}]
		if e == nil {
			continue
		}
		if _, ok := perEdge[e]; !ok {
			order = append(order, e)
		}
		perEdge[e] += shares[i]
		if c := callee(e, analyzer.ShortName(fn)); c != nil {
			c.Runtime += shares[i]
		}
	}
	for _, e := range order {
		e.Runtime += perEdge[e]
		nt := m.note(e, s.RelPos)
		nt.measured = true
		nt.executed += n
		nt.counted += perEdge[e]
		for _, h := range []string{bound, how} {
			if h != "" {
				nt.split = append(nt.split, h)
			}
		}
	}
}

func callee(e *graph.Edge, name string) *graph.Callee {
	for i := range e.Callees {
		if e.Callees[i].Func == name {
			return &e.Callees[i]
		}
	}
	return nil
}

// apportion shares n executions of a site among its callees: by the CPU
// time profiles saw from the caller in each callee, else evenly. It says
// how, for the evidence, when there was more than one callee.
func (m *merger) apportion(s *analyzer.Site, n int64) ([]int64, string) {
	k := len(s.Callees)
	if k == 1 {
		return []int64{n}, ""
	}
	w := make([]int64, k)
	var total int64
	caller := m.names.ssaKey(s.Caller)
	for i, fn := range s.Callees {
		w[i] = m.weights[pairKey{caller, m.names.ssaKey(fn)}]
		total += w[i]
	}
	if total > 0 {
		return split(n, w), fmt.Sprintf("apportioned among %d callees by CPU profile", k)
	}
	for i := range w {
		w[i] = 1
	}
	how := fmt.Sprintf("split evenly among %d callees", k)
	if m.profiled {
		how += " (no profile samples for them)"
	}
	return split(n, w), how
}

// switchBlock finds the block of the switch or select statement whose case
// expression holds s. Coverage counts no block for case expressions, but
// one is evaluated at most as often as its switch, which gives a bound.
func (m *merger) switchBlock(s *analyzer.Site, bs []block) (block, bool) {
	f := m.files.syntax[s.Pos.Filename]
	if f == nil {
		return block{}, false
	}
	tf := m.res.Program.Fset.File(f.FileStart)
	if s.Pos.Offset < 0 || s.Pos.Offset > tf.Size() {
		return block{}, false
	}
	pos := tf.Pos(s.Pos.Offset)
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	inCase := false
	for _, n := range path {
		switch n := n.(type) {
		case *ast.CaseClause:
			inCase = within(pos, n.Case, n.Colon)
		case *ast.CommClause:
			inCase = within(pos, n.Case, n.Colon)
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if !inCase {
				return block{}, false
			}
			p := m.res.Program.Fset.Position(n.Pos())
			return innermost(bs, p.Line, p.Column)
		case *ast.FuncLit, *ast.FuncDecl:
			return block{}, false
		}
	}
	return block{}, false
}

func within(pos, from, to token.Pos) bool { return from <= pos && pos <= to }
