package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// builder accumulates SQL with ? placeholders and their arguments.
type builder struct {
	b    strings.Builder
	args []any
	// fence ends an index subquery so the planner plans it on its own, from the index
	// of its parameter (PostgreSQL: OFFSET 0), rather than merge-joining it by id.
	fence string
}

func (b *builder) add(sql string, args ...any) {
	b.b.WriteString(sql)
	b.args = append(b.args, args...)
}

// where writes the conditions of q on the resources table aliased r.
func (b *builder) where(q Query) error {
	b.add(" WHERE r.rtype = ? AND r.deleted = 0", q.Type)
	// ANDed single values of one date parameter (date=ge2020&date=lt2021) are one range
	// on one index row: one subquery, so the database reads the index once.
	ranges := map[string][]Value{}
	var order []string
	for _, f := range q.Filters {
		if f.Kind == "date" && f.Param != "_lastUpdated" && f.Modifier == "" && len(f.Values) == 1 {
			if _, ok := ranges[f.Param]; !ok {
				order = append(order, f.Param)
			}
			ranges[f.Param] = append(ranges[f.Param], f.Values[0])
			continue
		}
		b.add(" AND ")
		if err := b.filter(q.Type, f); err != nil {
			return err
		}
	}
	for _, param := range order {
		b.add(" AND r.rid IN (SELECT rid FROM idx_date WHERE rtype = ? AND param = ?", q.Type, param)
		for _, v := range ranges[param] {
			b.add(" AND ")
			if err := b.dateCond("lo", "hi", v); err != nil {
				return err
			}
		}
		b.add(b.fence + ")")
	}
	return nil
}

var kindTable = map[string]string{
	"token": "idx_token", "string": "idx_string", "date": "idx_date", "reference": "idx_ref",
	"uri": "idx_uri", "number": "idx_number", "quantity": "idx_number",
}

func (b *builder) filter(typ string, f Filter) error {
	switch f.Param {
	case "_id":
		if f.Modifier != "" && f.Modifier != "not" {
			return fmt.Errorf("modifier :%s is not supported on _id", f.Modifier)
		}
		if f.Modifier == "not" {
			b.add("NOT ")
		}
		b.add("r.rid IN (")
		for i, v := range f.Values {
			if i > 0 {
				b.add(",")
			}
			b.add("?", v.Code)
		}
		b.add(")")
		return nil
	case "_lastUpdated":
		if f.Modifier != "" {
			return fmt.Errorf("modifier :%s is not supported on _lastUpdated", f.Modifier)
		}
		b.add("(")
		for i, v := range f.Values {
			if i > 0 {
				b.add(" OR ")
			}
			if err := b.dateCond("r.last_updated", "r.last_updated", v); err != nil {
				return err
			}
		}
		b.add(")")
		return nil
	}
	table, ok := kindTable[f.Kind]
	if !ok {
		return fmt.Errorf("search parameter %s: %s parameters are not supported by this server", f.Param, f.Kind)
	}
	if f.Modifier == "missing" {
		if len(f.Values) != 1 {
			return fmt.Errorf("search parameter %s:missing takes one value", f.Param)
		}
		if f.Values[0].Missing {
			b.add("NOT ")
		}
		b.add("r.rid IN (SELECT rid FROM "+table+" WHERE rtype = ? AND param = ?"+b.fence+")", typ, f.Param)
		return nil
	}
	if f.Modifier == "not" {
		if f.Kind != "token" {
			return fmt.Errorf("search parameter %s: :not applies to token parameters", f.Param)
		}
		b.add("NOT ")
	}
	b.add("r.rid IN (SELECT rid FROM "+table+" WHERE rtype = ? AND param = ? AND (", typ, f.Param)
	for i, v := range f.Values {
		if i > 0 {
			b.add(" OR ")
		}
		if err := b.valueCond(f, v); err != nil {
			return err
		}
	}
	b.add(")" + b.fence + ")")
	return nil
}

func (b *builder) valueCond(f Filter, v Value) error {
	mod := f.Modifier
	switch f.Kind {
	case "token":
		switch {
		case mod != "" && mod != "not":
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		case !v.HasSystem:
			b.add("code = ?", v.Code)
		case v.Code == "":
			b.add("system = ?", v.System)
		default:
			b.add("(code = ? AND system = ?)", v.Code, v.System)
		}
	case "string":
		switch mod {
		case "":
			folded := v.Folded
			if ub := upperBound(folded); ub != "" {
				b.add("(folded >= ? AND folded < ?)", folded, ub)
			} else {
				b.add("folded >= ?", folded)
			}
		case "exact":
			b.add("value = ?", v.Text)
		case "contains":
			b.add(`folded LIKE ? ESCAPE '\'`, "%"+likeEscape(v.Folded)+"%")
		default:
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		}
	case "uri":
		switch mod {
		case "":
			b.add("value = ?", v.Text)
		case "below":
			b.add(`value LIKE ? ESCAPE '\'`, likeEscape(v.Text)+"%")
		default:
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		}
	case "reference":
		switch {
		case mod != "" && (mod[0] < 'A' || mod[0] > 'Z'):
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		case v.RefID == "":
			b.add("ref = ?", v.Text)
		case mod != "":
			b.add("(ref_id = ? AND ref_type = ?)", v.RefID, mod)
		case v.RefType != "":
			b.add("(ref_id = ? AND ref_type = ?)", v.RefID, v.RefType)
		default:
			b.add("ref_id = ?", v.RefID)
		}
	case "date":
		if mod != "" {
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		}
		return b.dateCond("lo", "hi", v)
	case "number", "quantity":
		if mod != "" {
			return fmt.Errorf("search parameter %s: modifier :%s is not supported", f.Param, mod)
		}
		b.add("(")
		if err := b.numberCond(v); err != nil {
			return err
		}
		if v.Code != "" {
			b.add(" AND code = ?", v.Code)
		}
		if v.System != "" {
			b.add(" AND system = ?", v.System)
		}
		b.add(")")
	}
	return nil
}

// dateCond compares a stored inclusive range [lo, hi] (ms) with the search range
// [Start, End) by FHIR's prefix rules.
func (b *builder) dateCond(lo, hi string, v Value) error {
	s, e := v.Start, v.End-1 // inclusive
	switch v.Prefix {
	case "", "eq":
		// lo <= hi, so hi <= e bounds lo too: the lo index is read over [s, e] only.
		b.add("("+lo+" >= ? AND "+lo+" <= ? AND "+hi+" <= ?)", s, e, e)
	case "ne":
		b.add("("+lo+" < ? OR "+hi+" > ?)", s, e)
	case "gt":
		b.add(hi+" > ?", e)
	case "lt":
		b.add(lo+" < ?", s)
	case "ge":
		b.add(hi+" >= ?", s)
	case "le":
		b.add(lo+" <= ?", e)
	case "sa":
		b.add(lo+" > ?", e)
	case "eb":
		b.add(hi+" < ?", s)
	case "ap":
		b.add("("+lo+" <= ? AND "+hi+" >= ?)", e, s)
	default:
		return fmt.Errorf("date prefix %q is not supported", v.Prefix)
	}
	return nil
}

func (b *builder) numberCond(v Value) error {
	switch v.Prefix {
	case "", "eq", "ap":
		b.add("num >= ? AND num < ?", v.Low, v.High)
	case "ne":
		b.add("(num < ? OR num >= ?)", v.Low, v.High)
	case "gt", "sa":
		b.add("num >= ?", v.High)
	case "lt", "eb":
		b.add("num < ?", v.Low)
	case "ge":
		b.add("num >= ?", v.Low)
	case "le":
		b.add("num < ?", v.High)
	default:
		return fmt.Errorf("number prefix %q is not supported", v.Prefix)
	}
	return nil
}

// orderBy writes ORDER BY for q.Sort, always ending with the id for stable pages.
func (b *builder) orderBy(q Query) error {
	b.add(" ORDER BY ")
	for _, s := range q.Sort {
		dir := " ASC"
		agg := "MIN"
		if s.Desc {
			dir, agg = " DESC", "MAX"
		}
		switch {
		case s.Param == "_id":
			b.add("r.rid" + dir + ", ")
			continue
		case s.Param == "_lastUpdated":
			b.add("r.last_updated" + dir + ", ")
			continue
		case s.Kind == "date":
			col := "lo"
			if s.Desc {
				col = "hi"
			}
			b.add("(SELECT "+agg+"("+col+") FROM idx_date x WHERE x.rtype = r.rtype AND x.rid = r.rid AND x.param = ?)"+dir+" NULLS LAST, ", s.Param)
		case s.Kind == "string":
			b.add("(SELECT "+agg+"(folded) FROM idx_string x WHERE x.rtype = r.rtype AND x.rid = r.rid AND x.param = ?)"+dir+" NULLS LAST, ", s.Param)
		default:
			return fmt.Errorf("_sort on %s (%s) is not supported: sort on _id, _lastUpdated, a date or a string parameter", s.Param, s.Kind)
		}
	}
	b.add("r.rid")
	return nil
}

func (s *sqlStore) searchSQL(q Query) (*builder, error) {
	b := &builder{fence: s.d.fence}
	b.add("SELECT r." + strings.ReplaceAll(selectCols, ", ", ", r.") + " FROM resources r")
	if err := b.where(q); err != nil {
		return nil, err
	}
	if err := b.orderBy(q); err != nil {
		return nil, err
	}
	b.add(" LIMIT ? OFFSET ?", q.Count+1, q.Offset)
	return b, nil
}

func (s *sqlStore) Search(ctx context.Context, q Query) (Page, error) {
	page := Page{Total: -1}
	if q.Total || q.OnlyCnt {
		c := &builder{fence: s.d.fence}
		c.add("SELECT COUNT(*) FROM resources r")
		if err := c.where(q); err != nil {
			return page, err
		}
		if err := s.reader.QueryRowContext(ctx, s.d.rebind(c.b.String()), c.args...).Scan(&page.Total); err != nil {
			return page, err
		}
		if q.OnlyCnt {
			return page, nil
		}
	}
	b, err := s.searchSQL(q)
	if err != nil {
		return page, err
	}
	rows, err := s.reader.QueryContext(ctx, s.d.rebind(b.b.String()), b.args...)
	if err != nil {
		return page, err
	}
	page.Resources, err = scanRows(q.Type, false, rows)
	if len(page.Resources) > q.Count {
		page.Resources, page.More = page.Resources[:q.Count], true
	}
	return page, err
}

func (s *sqlStore) Explain(ctx context.Context, q Query) (string, error) {
	b, err := s.searchSQL(q)
	if err != nil {
		return "", err
	}
	rows, err := s.reader.QueryContext(ctx, s.d.explain+s.d.rebind(b.b.String()), b.args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		for _, v := range vals {
			fmt.Fprintf(&out, "%v ", v)
		}
		out.WriteByte('\n')
	}
	return out.String(), rows.Err()
}

// Scan streams the selected resources; rows are read one at a time, so memory stays flat.
func (s *sqlStore) Scan(ctx context.Context, sq ScanQuery, fn func(Resource) error) error {
	b := &builder{}
	b.add("SELECT r."+strings.ReplaceAll(selectCols, ", ", ", r.")+" FROM resources r WHERE r.rtype = ? AND r.deleted = ?", sq.Type, b2i(sq.Deleted))
	if !sq.Since.IsZero() {
		b.add(" AND r.last_updated > ?", sq.Since.UnixMilli())
	}
	if c := sq.Compartment; c != nil {
		patients := "SELECT rid FROM resources WHERE rtype = 'Patient' AND deleted = 0"
		var pargs []any
		if c.Group != "" {
			patients = "SELECT ref_id FROM idx_ref WHERE rtype = 'Group' AND rid = ? AND param = 'member' AND ref_type = 'Patient'"
			pargs = []any{c.Group}
		}
		if sq.Type == "Patient" {
			b.add(" AND r.rid IN ("+patients+")", pargs...)
		} else {
			if len(c.Params) == 0 {
				return fmt.Errorf("store: %s has no Patient compartment parameters", sq.Type)
			}
			b.add(" AND r.rid IN (SELECT rid FROM idx_ref WHERE rtype = ? AND param IN ("+placeholders(len(c.Params))+") AND ref_type = 'Patient' AND ref_id IN ("+patients+"))", sq.Type)
			for _, p := range c.Params {
				b.args = append(b.args, p)
			}
			b.args = append(b.args, pargs...)
		}
	}
	b.add(" ORDER BY r.rid")
	rows, err := s.reader.QueryContext(ctx, s.d.rebind(b.b.String()), b.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := Resource{Type: sq.Type}
		var ms int64
		var del int
		if err := rows.Scan(&r.ID, &r.Version, &ms, &del, &r.Data); err != nil {
			return err
		}
		r.LastUpdated = time.UnixMilli(ms).UTC()
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
