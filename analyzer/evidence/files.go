package evidence

import (
	"go/ast"
	"go/token"
	"path"
	"path/filepath"

	"github.com/podsplit/podsplit/analyzer"
)

// A fileIndex finds the files of the analysed packages by the names runtime
// data gives them: "importpath/file.go" in coverage profiles, a package and
// a build-machine path in profiles.
type fileIndex struct {
	byPkgFile map[string]string // "importpath/base.go" → absolute file name
	lines     map[string]int    // absolute file name → number of lines
	pkgOf     map[string]string // absolute file name → package path
	syntax    map[string]*ast.File
}

func newFileIndex(p *analyzer.Program) *fileIndex {
	x := &fileIndex{byPkgFile: map[string]string{}, lines: map[string]int{}, pkgOf: map[string]string{}, syntax: map[string]*ast.File{}}
	for _, pkg := range p.Packages {
		for _, f := range pkg.GoFiles {
			x.byPkgFile[pkg.PkgPath+"/"+filepath.Base(f)] = f
			x.lines[f] = 0
			x.pkgOf[f] = pkg.PkgPath
		}
		for _, f := range pkg.Syntax {
			x.syntax[p.Fset.File(f.FileStart).Name()] = f
		}
	}
	if p.Fset != nil {
		p.Fset.Iterate(func(f *token.File) bool {
			if _, ok := x.lines[f.Name()]; ok {
				x.lines[f.Name()] = f.LineCount()
			}
			return true
		})
	}
	return x
}

// coverFile maps the file name of a coverage profile to an absolute file.
// Profiles of packages outside a module name files by absolute path.
func (x *fileIndex) coverFile(name string) (string, bool) {
	if filepath.IsAbs(name) {
		_, ok := x.lines[name]
		return name, ok
	}
	f, ok := x.byPkgFile[name]
	return f, ok
}

// pkgFile maps a file of package pkg, named by its path on whatever machine
// built the program, to an absolute file of the analysed packages.
func (x *fileIndex) pkgFile(pkg, name string) (string, bool) {
	if _, ok := x.lines[name]; ok {
		return name, true
	}
	f, ok := x.byPkgFile[pkg+"/"+path.Base(filepath.ToSlash(name))]
	return f, ok
}
