package detect

import (
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer/link"
)

const (
	pkgGorm  = "gorm.io/gorm"
	pkgMongo = "go.mongodb.org/mongo-driver"
)

var (
	gormWrites = map[string]bool{"Create": true, "CreateInBatches": true, "Save": true, "Update": true,
		"Updates": true, "UpdateColumn": true, "UpdateColumns": true, "Delete": true, "FirstOrCreate": true}
	gormReads = map[string]bool{"Find": true, "First": true, "Last": true, "Take": true, "Scan": true,
		"Pluck": true, "Count": true, "FindInBatches": true, "Rows": true, "Row": true, "FirstOrInit": true}
	mongoWrites = map[string]bool{"InsertOne": true, "InsertMany": true, "UpdateOne": true, "UpdateMany": true,
		"UpdateByID": true, "ReplaceOne": true, "DeleteOne": true, "DeleteMany": true, "FindOneAndUpdate": true,
		"FindOneAndReplace": true, "FindOneAndDelete": true, "BulkWrite": true, "Drop": true}
	mongoReads = map[string]bool{"Find": true, "FindOne": true, "Aggregate": true, "CountDocuments": true,
		"EstimatedDocumentCount": true, "Distinct": true, "Watch": true}
)

// detectData recognises ORM and document-store access: gorm models and
// Table() names, and MongoDB Collection(name).
func detectData(s *site) {
	switch {
	case s.call == nil:
	case inPkg(s.pkg, pkgGorm) && s.recv == "DB" && (gormWrites[s.name] || gormReads[s.name]):
		gormAccess(s)
	case inPkg(s.pkg, pkgMongo) && s.recv == "Database" && s.name == "Collection":
		mongoCollection(s)
	}
}

func gormAccess(s *site) {
	access := link.Read
	if gormWrites[s.name] {
		access = link.Write
	}
	table, ok := "", false
	if len(s.args) > 0 && s.name != "Scan" && s.name != "Pluck" && s.name != "Count" {
		table, ok = gormModelTable(s.d, s.args[0])
	}
	if !ok {
		table, ok = gormChainTable(s.d, s.recvV)
	}
	if !ok {
		s.unresolved("gorm table", table)
		return
	}
	s.d.add(link.Fact{Component: s.comp, Role: access, Mechanism: link.SQL, Key: table,
		Access: access, Pos: s.where(), Detail: "gorm " + s.name})
}

// gormChainTable walks back the chain of *gorm.DB calls that made the
// receiver for a Table(name) or Model(value).
func gormChainTable(d *pass, v ssa.Value) (string, bool) {
	for i := 0; i < maxDepth; i++ {
		c, ok := v.(*ssa.Call)
		if !ok || len(c.Call.Args) < 2 || c.Call.StaticCallee() == nil {
			return "", false
		}
		switch calleeName(c) {
		case "Table":
			t, exact := d.str(c.Call.Args[1])
			return strings.ToLower(t), exact
		case "Model":
			return gormModelTable(d, c.Call.Args[1])
		}
		v = c.Call.Args[0]
	}
	return "", false
}

// gormModelTable names the table of a model value the way gorm does: the
// constant its TableName method returns, else the snake-cased plural of
// the struct's name.
func gormModelTable(d *pass, v ssa.Value) (string, bool) {
	t := v.Type()
	if mi, ok := v.(*ssa.MakeInterface); ok {
		t = mi.X.Type()
	}
	for {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		}
		break
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return "", false
	}
	if _, isStruct := named.Underlying().(*types.Struct); !isStruct {
		return "", false
	}
	if name, ok := d.tableNameMethod(named); ok {
		return name, true
	}
	return plural(snake(named.Obj().Name())), true
}

// tableNameMethod reads `func (T) TableName() string { return "x" }`
// when the method returns a constant.
func (d *pass) tableNameMethod(named *types.Named) (string, bool) {
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if m.Name() != "TableName" {
			continue
		}
		fn := d.p.SSA.FuncValue(m)
		if fn == nil {
			return "", false
		}
		for _, b := range fn.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && len(ret.Results) == 1 {
				return d.str(ret.Results[0])
			}
		}
	}
	return "", false
}

func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "z"),
		strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}

// mongoCollection records a collection with the access its direct uses show.
func mongoCollection(s *site) {
	name, exact := s.str(s.arg(0))
	if !exact || name == "" {
		s.unresolved("MongoDB collection", name)
		return
	}
	reads, writes := false, false
	if s.result != nil {
		for _, r := range *s.result.Referrers() {
			if c, ok := r.(ssa.CallInstruction); ok {
				m := calleeOf(c.Common())
				reads = reads || mongoReads[m]
				writes = writes || mongoWrites[m]
			}
		}
	}
	add := func(access, detail string) {
		s.d.add(link.Fact{Component: s.comp, Role: access, Mechanism: link.Mongo, Key: name,
			Access: access, Pos: s.where(), Detail: detail})
	}
	switch {
	case writes:
		add(link.Write, "mongo Collection, written here")
		if reads {
			add(link.Read, "mongo Collection, read here")
		}
	case reads:
		add(link.Read, "mongo Collection, read here")
	default:
		add(link.Read, "mongo Collection, used elsewhere: taken as read")
	}
}

func calleeOf(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return c.Method.Name()
	}
	if fn := c.StaticCallee(); fn != nil {
		return fn.Name()
	}
	return ""
}
