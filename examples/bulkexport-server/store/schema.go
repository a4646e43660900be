package store

import "strings"

// Each lookup index ends with rid, so a search's id list comes from the index alone.
//
// schema returns the tables and indexes; text is the type of compared text columns and
// blob of the resource bytes (JSON kept byte for byte: a JSONB column would reorder keys).
func schema(text, blob, float string) []string {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS resources (
	rtype TEXT NOT NULL, rid TEXT NOT NULL, version BIGINT NOT NULL, last_updated BIGINT NOT NULL,
	deleted INTEGER NOT NULL, data BLOB, PRIMARY KEY (rtype, rid))`,
		`CREATE INDEX IF NOT EXISTS resources_updated ON resources (rtype, last_updated)`,
		`CREATE TABLE IF NOT EXISTS history (
	rtype TEXT NOT NULL, rid TEXT NOT NULL, version BIGINT NOT NULL, last_updated BIGINT NOT NULL,
	deleted INTEGER NOT NULL, method TEXT NOT NULL, data BLOB, PRIMARY KEY (rtype, rid, version))`,
		`CREATE INDEX IF NOT EXISTS history_updated ON history (rtype, last_updated)`,
		`CREATE TABLE IF NOT EXISTS idx_token (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_token_code ON idx_token (rtype, param, code, system, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_token_system ON idx_token (rtype, param, system, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_token_rid ON idx_token (rtype, rid)`,
		`CREATE TABLE IF NOT EXISTS idx_string (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL, folded TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_string_folded ON idx_string (rtype, param, folded, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_string_value ON idx_string (rtype, param, value)`,
		`CREATE INDEX IF NOT EXISTS idx_string_rid ON idx_string (rtype, rid)`,
		`CREATE TABLE IF NOT EXISTS idx_date (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_date_lo ON idx_date (rtype, param, lo, hi, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_date_hi ON idx_date (rtype, param, hi, lo, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_date_rid ON idx_date (rtype, rid)`,
		`CREATE TABLE IF NOT EXISTS idx_ref (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, ref TEXT NOT NULL, ref_type TEXT NOT NULL, ref_id TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_ref_target ON idx_ref (rtype, param, ref_id, ref_type, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_ref_ref ON idx_ref (rtype, param, ref)`,
		`CREATE INDEX IF NOT EXISTS idx_ref_rid ON idx_ref (rtype, rid)`,
		`CREATE TABLE IF NOT EXISTS idx_uri (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_uri_value ON idx_uri (rtype, param, value, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_uri_rid ON idx_uri (rtype, rid)`,
		`CREATE TABLE IF NOT EXISTS idx_number (rtype TEXT NOT NULL, rid TEXT NOT NULL, param TEXT NOT NULL, num FLOAT NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_number_num ON idx_number (rtype, param, num, rid)`,
		`CREATE INDEX IF NOT EXISTS idx_number_rid ON idx_number (rtype, rid)`,
	}
	for i, s := range stmts {
		s = strings.ReplaceAll(s, " TEXT ", " "+text+" ")
		s = strings.ReplaceAll(s, " BLOB", " "+blob)
		stmts[i] = strings.ReplaceAll(s, " FLOAT ", " "+float+" ")
	}
	return stmts
}
