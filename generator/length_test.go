package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines bounds the length of a hand-written function (or function literal) in
// generator/, tests included: past it, a function is doing several things.
const maxFuncLines = 150

// TestFunctionLength checks every hand-written Go file under generator/ (testdata and
// the generated files of the golden cases excluded) for functions longer than
// maxFuncLines lines, counted from the func keyword to the closing brace.
func TestFunctionLength(t *testing.T) {
	longest, where, files := 0, "", 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".gen.go") {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch x := n.(type) {
			case *ast.FuncDecl:
				body = x.Body
			case *ast.FuncLit:
				body = x.Body
			}
			if body == nil {
				return true
			}
			start := fset.Position(n.Pos())
			lines := fset.Position(body.End()).Line - start.Line + 1
			if lines > longest {
				longest, where = lines, start.String()
			}
			if lines > maxFuncLines {
				t.Errorf("%s: a function of %d lines (at most %d)", start, lines, maxFuncLines)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d Go files read under generator/", files)
	}
	t.Logf("%d files; the longest function has %d lines, at %s", files, longest, where)
}
