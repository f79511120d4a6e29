package pipeline

import (
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/cache"
)

// stored is the form of an Analysis in the cache: plain data, without the
// loaded program. Sites are many and repetitive, so they are stored as
// rows of numbers into a table of strings.
type stored struct {
	Graph   *graph.Graph
	Facts   []link.Fact
	Root    string
	Modules []string
	Strings []string
	// Sites holds one row per site: file, offset, line, column, RelPos,
	// caller, From, flags (1 dynamic, 2 by type), then a callee and its
	// component for each callee; strings as indexes into Strings.
	Sites [][]int
}

const (
	flagDynamic = 1 << iota
	flagByType
)

// A table interns strings.
type table struct {
	index   map[string]int
	strings []string
}

func (t *table) id(s string) int {
	i, ok := t.index[s]
	if !ok {
		i = len(t.strings)
		t.index[s] = i
		t.strings = append(t.strings, s)
	}
	return i
}

func encodeAnalysis(a *Analysis) ([]byte, error) {
	s := stored{Graph: a.Graph, Facts: a.Facts, Root: a.Program.Root, Modules: a.Program.Modules}
	t := &table{index: map[string]int{}}
	for _, site := range a.Sites {
		flags := 0
		if site.Dynamic {
			flags |= flagDynamic
		}
		if site.ByType {
			flags |= flagByType
		}
		row := []int{t.id(site.Pos.Filename), site.Pos.Offset, site.Pos.Line, site.Pos.Column, t.id(site.RelPos),
			t.id(analyzer.ShortName(site.Caller)), t.id(site.From), flags}
		for i, fn := range site.Callees {
			row = append(row, t.id(analyzer.ShortName(fn)), t.id(site.To[i]))
		}
		s.Sites = append(s.Sites, row)
	}
	s.Strings = t.strings
	return json.Marshal(s)
}

// decodeAnalysis rebuilds an Analysis from its stored form. The functions
// of its sites are stand-ins that carry only their names: analyzer.ShortName
// of a stand-in returns the name of the function it stands for.
func decodeAnalysis(data []byte) (*Analysis, error) {
	var s stored
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	str := func(i int) (string, error) {
		if i < 0 || i >= len(s.Strings) {
			return "", fmt.Errorf("string %d out of range", i)
		}
		return s.Strings[i], nil
	}
	prog := ssa.NewProgram(token.NewFileSet(), 0)
	stand := standIns(prog)
	res := &analyzer.Result{Graph: s.Graph,
		Program: &analyzer.Program{Root: s.Root, Modules: s.Modules, Fset: prog.Fset, SSA: prog}}
	for _, row := range s.Sites {
		if len(row) < 8 || len(row)%2 != 0 {
			return nil, fmt.Errorf("bad site row of %d numbers", len(row))
		}
		names := make([]string, 0, len(row)-4)
		for _, i := range append([]int{row[0], row[4], row[5], row[6]}, row[8:]...) {
			name, err := str(i)
			if err != nil {
				return nil, err
			}
			names = append(names, name)
		}
		site := &analyzer.Site{Pos: token.Position{Filename: names[0], Offset: row[1], Line: row[2], Column: row[3]},
			RelPos: names[1], Caller: stand(names[2]), From: names[3],
			Dynamic: row[7]&flagDynamic != 0, ByType: row[7]&flagByType != 0}
		for i := 4; i < len(names); i += 2 {
			site.Callees = append(site.Callees, stand(names[i]))
			site.To = append(site.To, names[i+1])
		}
		res.Sites = append(res.Sites, site)
	}
	return &Analysis{Result: res, Facts: s.Facts, Cached: true}, nil
}

// detach drops the loaded program: Program keeps only Root and Modules, and
// the functions of the sites become stand-ins that carry their names, as
// in an analysis read from the cache.
func (a *Analysis) detach() {
	prog := ssa.NewProgram(token.NewFileSet(), 0)
	stand := standIns(prog)
	a.Program = &analyzer.Program{Root: a.Program.Root, Modules: a.Program.Modules, Fset: prog.Fset, SSA: prog}
	sites := make([]*analyzer.Site, len(a.Sites))
	for i, s := range a.Sites {
		d := &analyzer.Site{Pos: s.Pos, RelPos: s.RelPos, Caller: stand(analyzer.ShortName(s.Caller)), From: s.From,
			To: s.To, Dynamic: s.Dynamic, ByType: s.ByType}
		for _, fn := range s.Callees {
			d.Callees = append(d.Callees, stand(analyzer.ShortName(fn)))
		}
		sites[i] = d
	}
	a.Sites = sites
}

// standIns returns the stand-in function of each name, one per name.
func standIns(prog *ssa.Program) func(name string) *ssa.Function {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	funcs := map[string]*ssa.Function{}
	return func(name string) *ssa.Function {
		f, ok := funcs[name]
		if !ok {
			f = prog.NewFunction(name, sig, "podsplit cache")
			funcs[name] = f
		}
		return f
	}
}

// readResult returns the cached analysis of key, if any.
func readResult(c *cache.Cache, key string) (*Analysis, bool) {
	data, ok := c.Get("result", key)
	if !ok {
		return nil, false
	}
	a, err := decodeAnalysis(data)
	if err != nil {
		return nil, false
	}
	return a, true
}

func writeResult(c *cache.Cache, key string, a *Analysis) {
	if data, err := encodeAnalysis(a); err == nil {
		_ = c.Put("result", key, data)
	}
}
