package readmodel

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"complaints/internal/sqlrows"
)

// Branch provinces learned from the records: `branches suggest` drafts a branch master whose units carry the
// province that at least ProvinceAgreement of their records agree on (rules: docs/decisions.md, "Provinces").

// ProvinceAgreementPct is the share (in percent) of a branch's records with a province that must name one
// province for the draft to attribute the branch to it; ProvinceMinRecords is the fewest such records that can.
const (
	ProvinceAgreementPct = 90
	ProvinceMinRecords   = 5
)

// headOfficeWords mark units that serve customers of every province (a credit-card centre, remote banking, the
// head office): never attributed to one, whatever their records say. Matched in the folded name, aliases or text.
var headOfficeWords = []string{
	"总行", "信用卡中心", "信用卡部", "远程银行", "电子银行", "网络银行", "网上银行", "手机银行", "直销银行", "数字银行",
	"私人银行", "票据中心", "票据营业部", "客服中心", "客户服务中心", "服务中心", "资金营运中心", "金融市场部",
	"head office", "headquarters", "credit card cent", "card cent", "remote bank", "e-bank", "online bank",
	"private bank", "call cent", "contact cent", "service cent",
}

// HeadOffice says whether a unit's name (or alias, or exported text) marks a head-office unit, and the word.
func HeadOffice(names ...string) (string, bool) {
	for _, n := range names {
		n = strings.ToLower(strings.Join(strings.Fields(n), " "))
		for _, w := range headOfficeWords {
			if strings.Contains(n, w) {
				return w, true
			}
		}
	}
	return "", false
}

// MasterUnit is one row of branch_master with its columns as the branches file has them ("" when empty).
type MasterUnit struct {
	Code, Name, Aliases, Parent, ProvinceCode, ProvinceName, ValidFrom, ValidTo, Successor string
}

// ProvinceCount is the number of records naming one province (a GB/T 2260 code, or the raw text no code matched).
type ProvinceCount struct {
	Province string
	Records  int64
}

// BranchEvidence is what the records say about one branch: complaints.branch (a master code, or the exported text
// the master does not map), its records, and by province the records whose own export gave one (a province
// filled in from the branch master is not evidence), most first.
type BranchEvidence struct {
	Branch       string
	InMaster     bool
	Records      int64
	WithProvince int64
	Provinces    []ProvinceCount
}

// LoadBranchMaster reads branch_master by code, then validity.
func LoadBranchMaster(ctx context.Context, db *sql.DB) ([]MasterUnit, error) {
	out, err := sqlrows.Query(ctx, db, func(u *MasterUnit) []any {
		return []any{&u.Code, &u.Name, &u.Aliases, &u.Parent, &u.ProvinceCode, &u.ProvinceName, &u.ValidFrom, &u.ValidTo, &u.Successor}
	}, `SELECT code, coalesce(name, ''), coalesce(aliases, ''), coalesce(parent, ''), coalesce(province_code, ''),
		       coalesce(province_name, ''), coalesce(strftime(valid_from, '%Y-%m-%d'), ''), coalesce(strftime(valid_to, '%Y-%m-%d'), ''),
		       coalesce(successor, '')
		FROM branch_master ORDER BY code, valid_from NULLS FIRST, valid_to NULLS LAST, name`)
	if err != nil {
		return nil, fmt.Errorf("read branch_master: %w", err)
	}
	return out, nil
}

// LoadBranchEvidence reads, for every branch of the complaints table (every record type), its records and the
// provinces of those whose landed row carries a province, by branch.
func LoadBranchEvidence(ctx context.Context, db *sql.DB) ([]BranchEvidence, error) {
	type row struct {
		branch, province string
		inMaster, own    bool
		n                int64
	}
	rows, err := sqlrows.Query(ctx, db, func(r *row) []any { return []any{&r.branch, &r.inMaster, &r.own, &r.province, &r.n} }, `
		SELECT c.branch, c.branch IN (SELECT code FROM branch_master),
		       nullif(trim(l.province), '') IS NOT NULL AND c.province IS NOT NULL AS own,
		       CASE WHEN nullif(trim(l.province), '') IS NOT NULL THEN coalesce(c.province, '') ELSE '' END, count(*)
		FROM complaints c JOIN landed_rows l ON l.batch_id = c.batch_id AND l.row_number = c.row_number
		WHERE nullif(trim(c.branch), '') IS NOT NULL
		GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return nil, fmt.Errorf("read the branches' provinces: %w", err)
	}
	var out []BranchEvidence
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Branch != r.branch {
			out = append(out, BranchEvidence{Branch: r.branch, InMaster: r.inMaster})
		}
		e := &out[len(out)-1]
		e.Records += r.n
		if r.own {
			e.WithProvince += r.n
			e.Provinces = append(e.Provinces, ProvinceCount{r.province, r.n})
		}
	}
	for i := range out {
		p := out[i].Provinces
		sort.SliceStable(p, func(a, b int) bool {
			if p[a].Records != p[b].Records {
				return p[a].Records > p[b].Records
			}
			return p[a].Province < p[b].Province
		})
	}
	return out, nil
}

// ProvinceVerdict is what the draft says of one branch.
type ProvinceVerdict struct {
	Province   string  // the province learned, "" when left unattributed
	Share      float64 // the largest province's share of the records with a province
	Top        string  // that province
	TopRecords int64   // and its records
	Reason     string  // learned, head_office, spread, too_few, none
	Word       string  // head_office: the word that marked it
}

// Verdict applies the rules to one branch's evidence; names are the unit's name, aliases or exported text.
func (e BranchEvidence) Verdict(names ...string) ProvinceVerdict {
	var v ProvinceVerdict
	if len(e.Provinces) > 0 {
		v.Top, v.TopRecords = e.Provinces[0].Province, e.Provinces[0].Records
		v.Share = float64(e.Provinces[0].Records) / float64(e.WithProvince)
	}
	switch w, ok := HeadOffice(append(names, e.Branch)...); {
	case ok:
		v.Reason, v.Word = "head_office", w
	case e.WithProvince == 0:
		v.Reason = "none"
	case e.WithProvince < ProvinceMinRecords:
		v.Reason = "too_few"
	case e.Provinces[0].Records*100 < e.WithProvince*ProvinceAgreementPct:
		v.Reason = "spread"
	default:
		v.Reason, v.Province = "learned", v.Top
	}
	return v
}

// DraftUnit is one row of the draft branch master: a master row (its province columns filled when the records
// teach one and it has none), or a branch text the master lacks (code and name the text).
type DraftUnit struct {
	MasterUnit
	New          bool            // not in the branch master
	Kept         bool            // the master already gives the unit a province: kept as it is
	Verdict      ProvinceVerdict // what the records say
	Records      int64           // the branch's records, and those with a province of their own
	WithProvince int64
}

// DraftBranchMaster applies the rules to every master row and every branch text the master lacks, sorted by code
// (then validity). label names a province code (the catalogue's label); a learned raw text no code matched goes
// to province_name alone.
func DraftBranchMaster(master []MasterUnit, evidence []BranchEvidence, isCode func(string) bool, label func(string) string) []DraftUnit {
	ev := map[string]BranchEvidence{}
	for _, e := range evidence {
		ev[e.Branch] = e
	}
	fill := func(d *DraftUnit) {
		if d.Verdict.Province == "" || d.Kept {
			return
		}
		if isCode(d.Verdict.Province) {
			d.ProvinceCode, d.ProvinceName = d.Verdict.Province, label(d.Verdict.Province)
		} else {
			d.ProvinceName = d.Verdict.Province
		}
	}
	var out []DraftUnit
	for _, u := range master {
		e := ev[u.Code]
		if e.Branch == "" {
			e.Branch = u.Code
		}
		names := []string{u.Name}
		names = append(names, strings.FieldsFunc(u.Aliases, func(r rune) bool { return r == '|' || r == ';' || r == '；' })...)
		d := DraftUnit{MasterUnit: u, Verdict: e.Verdict(names...), Records: e.Records, WithProvince: e.WithProvince,
			Kept: strings.TrimSpace(u.ProvinceCode+u.ProvinceName) != ""}
		fill(&d)
		out = append(out, d)
	}
	for _, e := range evidence {
		if e.InMaster {
			continue
		}
		d := DraftUnit{MasterUnit: MasterUnit{Code: e.Branch, Name: e.Branch}, New: true, Verdict: e.Verdict(),
			Records: e.Records, WithProvince: e.WithProvince}
		fill(&d)
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.ValidFrom < b.ValidFrom
	})
	return out
}
