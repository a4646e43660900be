package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestNoPackageState checks that no function in the generator writes a package-level
// variable (assignment, ++/--, delete, clear, or a sync/atomic value used as a cache):
// package variables are read-only tables, so two generations in one process, or in
// parallel, cannot see each other. generator/fhirpath/runtime is exempt: it is the
// runtime copied into generated code, not generator state.
func TestNoPackageState(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo, Dir: "."}
	pkgs, err := packages.Load(cfg, "github.com/fhirgen/fhirgen/generator/...")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range pkgs {
		if strings.HasSuffix(p.PkgPath, "/fhirpath/runtime") {
			continue
		}
		for _, e := range p.Errors {
			t.Fatalf("%s: %v", p.PkgPath, e)
		}
		checked++
		scope := p.Types.Scope()
		pkgVar := func(e ast.Expr) *types.Var {
			for {
				switch x := e.(type) {
				case *ast.IndexExpr:
					e = x.X
				case *ast.SelectorExpr:
					if id, ok := x.X.(*ast.Ident); ok {
						if _, isPkg := p.TypesInfo.Uses[id].(*types.PkgName); isPkg {
							e = x.Sel // another package's variable
							continue
						}
					}
					e = x.X
				case *ast.StarExpr:
					e = x.X
				case *ast.ParenExpr:
					e = x.X
				case *ast.Ident:
					v, ok := p.TypesInfo.Uses[x].(*types.Var)
					if ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
						return v
					}
					return nil
				default:
					return nil
				}
			}
		}
		report := func(pos token.Pos, v *types.Var, how string) {
			t.Errorf("%s: %s the package-level variable %s.%s", p.Fset.Position(pos), how, v.Pkg().Name(), v.Name())
		}
		for _, name := range scope.Names() {
			v, ok := scope.Lookup(name).(*types.Var)
			if !ok {
				continue
			}
			if s := v.Type().String(); strings.HasPrefix(s, "sync.") || strings.HasPrefix(s, "sync/atomic.") {
				report(v.Pos(), v, "declares a cache in")
			}
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					switch s := n.(type) {
					case *ast.AssignStmt:
						if s.Tok == token.DEFINE {
							return true
						}
						for _, l := range s.Lhs {
							if v := pkgVar(l); v != nil {
								report(s.Pos(), v, "assigns")
							}
						}
					case *ast.IncDecStmt:
						if v := pkgVar(s.X); v != nil {
							report(s.Pos(), v, "increments")
						}
					case *ast.RangeStmt:
						if s.Tok == token.ASSIGN {
							for _, l := range []ast.Expr{s.Key, s.Value} {
								if v := pkgVar(l); l != nil && v != nil {
									report(s.Pos(), v, "ranges into")
								}
							}
						}
					case *ast.CallExpr:
						if id, ok := s.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && len(s.Args) > 0 {
							if _, builtin := p.TypesInfo.Uses[id].(*types.Builtin); builtin {
								if v := pkgVar(s.Args[0]); v != nil {
									report(s.Pos(), v, id.Name+"s from")
								}
							}
						}
					}
					return true
				})
			}
		}
	}
	if checked < 8 {
		t.Fatalf("checked only %d packages", checked)
	}
}
