package generator

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// row is one physical data row of an export: a record (in a given version) or a junk row.
type row struct {
	r   *record
	j   *junk
	at  time.Time
	e1  bool // hotline: show the first export's version
	seq int
}

func (g *gen) rowsFor(src string, keep func(*record) bool, keepJunk func(*junk) bool) []row {
	var rows []row
	for _, r := range g.recs {
		if r.Source == src && keep(r) {
			rows = append(rows, row{r: r, at: r.Received, seq: len(rows)})
		}
	}
	for _, j := range g.junk {
		if j.Source == src && keepJunk(j) {
			rows = append(rows, row{j: j, r: j.rec, at: j.At, seq: len(rows)})
		}
	}
	sort.SliceStable(rows, func(i, k int) bool {
		if !rows[i].at.Equal(rows[k].at) {
			return rows[i].at.Before(rows[k].at)
		}
		return rows[i].seq < rows[k].seq
	})
	return rows
}

func (g *gen) writeExports(outDir string) ([]FileTruth, error) {
	var files []FileTruth
	e1name := fmt.Sprintf("hotline_%s.csv", g.cutE1.AddDate(0, 0, -1).Format("20060102"))
	e2name := fmt.Sprintf("hotline_%s.csv", g.cutE2.Format("20060102"))
	steps := []func() (FileTruth, error){
		func() (FileTruth, error) { return g.writeHotline(outDir, e1name, true) },
		func() (FileTruth, error) { return g.writeHotline(outDir, e2name, false) },
		func() (FileTruth, error) { return g.writeOnline(outDir) },
		func() (FileTruth, error) { return g.writeWalkIn(outDir) },
		func() (FileTruth, error) { return g.writeLetters(outDir) },
		func() (FileTruth, error) { return g.writeReferrals(outDir) },
	}
	for _, s := range steps {
		f, err := s()
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func (g *gen) flagRow(ft *FileTruth, rowNo int, r *record) {
	if r.ReplyFlag != "" {
		ft.FlaggedRows = append(ft.FlaggedRows, FlagRow{Row: rowNo, SourceID: r.ID, Check: r.ReplyFlag, Received: fmtT(r.Received), Replied: fmtT(r.Replied)})
	}
}

func (g *gen) countRow(ft *FileTruth, rowNo int, w row) {
	ft.DataRows++
	if w.j != nil {
		ft.Rejected++
		ft.RejectRows = append(ft.RejectRows, RejectRow{Row: rowNo, Reason: w.j.Reason, Raw: w.j.Raw})
		return
	}
	ft.Accepted++
	if w.r.Kind == "complaint" {
		ft.Complaints++
	} else {
		ft.Other++
	}
	g.flagRow(ft, rowNo, w.r)
}

func ifEmpty(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- hotline CSV (GB18030, CRLF) ----

var hotlineHeader = []string{"工单编号", "工单类型", "受理时间", "客户姓名", "联系电话", "证件号码", "业务渠道", "业务类别", "投诉原因", "投诉类型", "客户诉求",
	"所属机构", "所属省份", "处理状态", "办结时间", "满意度", "补偿金额", "投诉摘要", "投诉内容", "经办人",
	"调查核实情况", "责任人处理意见", "整改措施", "客户满意程度", "处理时间", "经办人联系电话", "更新时间"}

const hotlineTime = "2006/1/2 15:04"

func (g *gen) writeHotline(outDir, name string, first bool) (FileTruth, error) {
	ft := FileTruth{File: "exports/" + name, Source: srcHotline, Format: "csv", Encoding: "gb18030", HeaderRow: 1}
	var rows []row
	if first {
		ft.AsOf = fmtD(g.cutE1.AddDate(0, 0, -1))
		rows = g.rowsFor(srcHotline, func(r *record) bool { return r.InE1 }, func(j *junk) bool { return !j.E2 })
		for i := range rows {
			rows[i].e1 = true
		}
	} else {
		ft.AsOf = fmtD(g.cutE2.AddDate(0, 0, -1))
		rows = g.rowsFor(srcHotline, func(r *record) bool { return r.InE2 }, func(j *junk) bool { return j.E2 })
		// changed records come in the order of their update, after nothing in particular: sort by update time
		sort.SliceStable(rows, func(i, k int) bool { return rows[i].r.Updated.Before(rows[k].r.Updated) })
	}
	f, err := createExport(outDir, name)
	if err != nil {
		return ft, err
	}
	enc := transform.NewWriter(f, simplifiedchinese.GB18030.NewEncoder())
	cw := newCSVLines(enc, "")
	cw.write(hotlineHeader)
	for _, w := range rows {
		r := w.r
		status, replied, updated, category := r.Status, r.Replied, r.Updated, r.Category
		satisf, elems, comp := r.Satisf, r.Elements, r.CompCents
		if w.e1 && r.E1Open {
			status, replied, updated, satisf, elems, comp = "open", time.Time{}, r.E1Updated, "", [6]string{}, 0
		}
		if w.e1 && r.E1Category != "" {
			category, updated = r.E1Category, r.E1Updated
		}
		c := g.custs[r.Cust]
		b := branches[r.Branch]
		idText := ""
		switch r.ShowID {
		case 18:
			idText = c.ID18
		case 15:
			idText = c.ID15
		}
		kind := recordTypeSpell[r.Kind]
		g.note("record_type", kind, r.Kind)
		var cause, typ, demand string
		if r.Kind == "complaint" {
			cause = g.spell("cause", r.Cause, false)
			typ = g.spell("complaint_type", r.Type, false)
			demand = g.spell("demand", r.Demand, false)
		}
		prov := b.ProvName
		if r.PhoneStyle%3 == 0 {
			prov = b.ProvShort
		}
		g.note("province", prov, b.ProvCode)
		st := statusSpell[srcHotline][status][0]
		g.note("status", st, status)
		compText := ""
		if status == "closed" {
			compText = "0.00"
			if comp > 0 {
				compText = fmt.Sprintf("%d.%02d", comp/100, comp%100)
			} else if r.PhoneStyle%4 == 1 {
				compText = "0"
			}
		}
		narr := r.Narrative
		if r.Kind == "complaint" {
			switch r.PhoneStyle {
			case 7:
				narr += `原话："钱呢, 去哪了?"`
			case 8:
				if r.Received.Day()%3 == 0 {
					narr += "\n次日催办：\"尽快回复\"。"
				}
			}
		}
		catSpell := g.spellCategory(category, r, false)
		fields := []string{
			r.ID, kind, r.Received.Format(hotlineTime), c.Name, phoneField(c.Phone, r.PhoneStyle, srcHotline), idText,
			g.spell("business_channel", r.BizChannel, false), catSpell, cause, typ, demand,
			b.Name, prov, st, fmtHot(replied), satisfactionZH(satisf, ""), compText, r.Summary, narr, r.Handler,
			elems[0], elems[1], elems[2], elems[3], elems[4], elems[5], updated.Format(hotlineTime),
		}
		if w.j != nil {
			switch w.j.Reason {
			case "unparseable_date":
				fields[2] = w.j.Raw
			case "missing_id":
				fields[0] = ""
			case "ragged_row":
				fields = fields[:10]
			}
		}
		g.countRow(&ft, cw.line, w)
		cw.write(fields)
	}
	if cw.err == nil {
		cw.err = enc.Close()
	}
	if err := f.close(cw.err); err != nil {
		return ft, fmt.Errorf("generator: %s: %w", name, err)
	}
	return ft, nil
}

func fmtHot(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(hotlineTime)
}

// spellCategory writes a business category; a card record now and then says only 银行卡 and then its true
// category is bank_card (the record is changed so truth follows what the export says).
func (g *gen) spellCategory(code string, r *record, en bool) string {
	return g.spell("business_category", code, en)
}

// ---- online NDJSON ----

type onlineCustomer struct {
	Name   string  `json:"name"`
	Mobile string  `json:"mobile"`
	IDNo   *string `json:"id_no,omitempty"`
	CardNo string  `json:"card_no,omitempty"`
}
type onlineProduct struct {
	Category string `json:"category"`
	Channel  string `json:"channel"`
}
type onlineOrg struct {
	Branch   string `json:"branch"`
	Province string `json:"province"`
}
type onlineRow struct {
	TicketID     *string        `json:"ticket_id"`
	CreatedAt    string         `json:"created_at"`
	Channel      string         `json:"channel"`
	Customer     onlineCustomer `json:"customer"`
	Product      onlineProduct  `json:"product"`
	Reason       string         `json:"reason"`
	Type         string         `json:"type"`
	Demand       string         `json:"demand"`
	Org          onlineOrg      `json:"org"`
	Status       string         `json:"status"`
	ResolvedAt   *string        `json:"resolved_at,omitempty"`
	Satisfaction *string        `json:"satisfaction,omitempty"`
	Compensation json.Number    `json:"compensation,omitempty"`
	Summary      string         `json:"summary"`
	Detail       string         `json:"detail"`
	UpdatedAt    string         `json:"updated_at"`
}

func (g *gen) writeOnline(outDir string) (FileTruth, error) {
	name := "online_platform.ndjson"
	ft := FileTruth{File: "exports/" + name, Source: srcOnline, Format: "ndjson", Encoding: "utf-8", AsOf: fmtD(g.cutOther.AddDate(0, 0, -1))}
	rows := g.rowsFor(srcOnline, func(*record) bool { return true }, func(*junk) bool { return true })
	out, err := createExport(outDir, name)
	if err != nil {
		return ft, err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for i, w := range rows {
		r := w.r
		c := g.custs[r.Cust]
		b := branches[r.Branch]
		en := r.PhoneStyle < 5
		id := r.ID
		o := onlineRow{TicketID: &id, CreatedAt: r.Received.Format(time.RFC3339), Channel: r.IntakeRaw}
		g.note("intake_channel", r.IntakeRaw, r.Intake)
		o.Customer = onlineCustomer{Name: c.Name, Mobile: phoneField(c.Phone, r.PhoneStyle, srcOnline)}
		if r.ShowID == 18 {
			o.Customer.IDNo = &c.ID18
		} else if r.ShowID == 15 {
			o.Customer.IDNo = &c.ID15
		}
		if r.ShowCard {
			o.Customer.CardNo = c.Card
		}
		o.Product = onlineProduct{Category: g.spellCategory(r.Category, r, en), Channel: g.spell("business_channel", r.BizChannel, en)}
		o.Reason = g.spell("cause", r.Cause, en)
		o.Type = g.spell("complaint_type", r.Type, en)
		o.Demand = g.spell("demand", r.Demand, en)
		o.Org = onlineOrg{Branch: b.Name, Province: b.ProvName}
		if r.PhoneStyle%2 == 0 {
			o.Org.Province = b.ProvCode
		}
		g.note("province", o.Org.Province, b.ProvCode)
		o.Status = g.spell("status", r.Status, true)
		if !r.Replied.IsZero() {
			s := r.Replied.Format(time.RFC3339)
			o.ResolvedAt = &s
		}
		if r.Satisf != "" {
			s := g.spell("satisfaction", r.Satisf, en)
			o.Satisfaction = &s
		}
		// the platform writes a compensation only on closed tickets
		if r.Status == "closed" {
			o.Compensation = json.Number("0")
		}
		if r.CompCents > 0 {
			o.Compensation = json.Number(fmt.Sprintf("%d.%02d", r.CompCents/100, r.CompCents%100))
		}
		o.Summary, o.Detail, o.UpdatedAt = r.Summary, r.Narrative, r.Updated.Format(time.RFC3339)
		if w.j != nil {
			switch w.j.Reason {
			case "unparseable_date":
				o.CreatedAt = w.j.Raw
			case "missing_id":
				if i%2 == 0 {
					o.TicketID = nil
				} else {
					empty := ""
					o.TicketID = &empty
				}
			}
		}
		g.countRow(&ft, i+1, w)
		if err := enc.Encode(o); err != nil {
			return ft, out.close(err)
		}
	}
	return ft, out.close(nil)
}

// ---- XLSX helpers ----

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, bj)

func excelSerial(t time.Time) float64 {
	d := dateOnly(t)
	return float64(int(d.Sub(excelEpoch).Hours()/24 + 0.5))
}

func (g *gen) docProps(f *excelize.File, title string) error {
	ts := g.cutOther.Add(9 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	return f.SetDocProps(&excelize.DocProperties{
		Category: "complaints", Created: ts, Modified: ts, Creator: "示例银行", LastModifiedBy: "示例银行",
		Title: title, Language: "zh-CN", Version: "1",
	})
}

func colName(i int) string { n, _ := excelize.ColumnNumberToName(i); return n }

// ---- walk-in log XLSX ----

var walkInHeader = []string{"登记编号", "登记日期", "客户姓名", "联系电话", "网点名称", "业务类别", "投诉原因", "投诉类型", "处理结果", "办结日期", "客户意见", "备注"}

func (g *gen) writeWalkIn(outDir string) (FileTruth, error) {
	name := "branch_walkin_log.xlsx"
	sheet := "登记簿"
	last := g.cutOther.AddDate(0, 0, -1)
	ft := FileTruth{File: "exports/" + name, Source: srcWalkIn, Format: "xlsx", Sheet: sheet, HeaderRow: 2, AsOf: fmtD(last)}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return ft, err
	}
	title := fmt.Sprintf("示例银行网点客户投诉登记簿（截至%d年%d月%d日）", last.Year(), last.Month(), last.Day())
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return ft, err
	}
	if err := f.MergeCell(sheet, "A1", colName(len(walkInHeader))+"1"); err != nil {
		return ft, err
	}
	hdr := make([]interface{}, len(walkInHeader))
	for i, h := range walkInHeader {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sheet, "A2", &hdr); err != nil {
		return ft, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("yyyy-mm-dd")})
	if err != nil {
		return ft, err
	}
	rows := g.rowsFor(srcWalkIn, func(*record) bool { return true }, func(*junk) bool { return true })
	rowNo := 3
	merges := 0
	for i := 0; i < len(rows); i++ {
		w := rows[i]
		r := w.r
		c := g.custs[r.Cust]
		b := branches[r.Branch]
		bname := b.Name
		if r.UseAlias {
			bname = b.Alias
		}
		vals := []interface{}{r.ID, excelSerial(r.Received), c.Name, phoneField(c.Phone, r.PhoneStyle, srcWalkIn), bname,
			g.spellCategory(r.Category, r, false), g.spell("cause", r.Cause, false), g.spell("complaint_type", r.Type, false),
			g.pick(statusSpell[srcWalkIn][r.Status]), nil, satisfactionZH(r.Satisf, ""), walkInNote(r)}
		g.note("status", vals[8].(string), r.Status)
		if !r.Replied.IsZero() {
			vals[9] = excelSerial(r.Replied)
		}
		if w.j != nil {
			switch w.j.Reason {
			case "unparseable_date":
				vals[1] = w.j.Raw
			case "missing_id":
				vals[0] = nil
			}
		}
		cell := fmt.Sprintf("A%d", rowNo)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return ft, err
		}
		g.countRow(&ft, rowNo, w)
		// hand-kept logs merge the branch cell over consecutive rows of one branch
		run := 1
		for run < 3 && i+run < len(rows) && rows[i+run].j == nil && w.j == nil && rows[i+run].r.Branch == r.Branch && merges < 40 {
			run++
		}
		if run > 1 {
			merges++
			for k := 1; k < run; k++ {
				i++
				rowNo++
				w2 := rows[i]
				r2 := w2.r
				c2 := g.custs[r2.Cust]
				v2 := []interface{}{r2.ID, excelSerial(r2.Received), c2.Name, phoneField(c2.Phone, r2.PhoneStyle, srcWalkIn), nil,
					g.spellCategory(r2.Category, r2, false), g.spell("cause", r2.Cause, false), g.spell("complaint_type", r2.Type, false),
					g.pick(statusSpell[srcWalkIn][r2.Status]), nil, satisfactionZH(r2.Satisf, ""), walkInNote(r2)}
				g.note("status", v2[8].(string), r2.Status)
				if !r2.Replied.IsZero() {
					v2[9] = excelSerial(r2.Replied)
				}
				if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", rowNo), &v2); err != nil {
					return ft, err
				}
				g.countRow(&ft, rowNo, w2)
			}
			if err := f.MergeCell(sheet, fmt.Sprintf("E%d", rowNo-run+1), fmt.Sprintf("E%d", rowNo)); err != nil {
				return ft, err
			}
		}
		rowNo++
	}
	for _, col := range []string{"B", "J"} {
		if err := f.SetCellStyle(sheet, col+"3", fmt.Sprintf("%s%d", col, rowNo-1), dateStyle); err != nil {
			return ft, err
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 14)
	_ = f.SetColWidth(sheet, "B", "B", 12)
	_ = f.SetColWidth(sheet, "E", "E", 18)
	_ = f.SetColWidth(sheet, "L", "L", 40)
	notes, _ := f.NewSheet("说明")
	_ = notes
	for i, s := range []string{
		"说明",
		"1. 本登记簿由各网点登记上门投诉，按登记日期排序；同一网点连续登记时网点名称单元格合并。",
		"2. 登记日期、办结日期为日期格式；未办结的办结日期为空。",
		"3. 处理结果：已办结/已处理、办理中、客户撤诉、不予受理。",
		"4. 客户意见：满意、基本满意、不满意；未回访的为空。",
	} {
		_ = f.SetCellStr("说明", fmt.Sprintf("A%d", i+1), s)
	}
	if err := g.docProps(f, title); err != nil {
		return ft, err
	}
	return ft, g.saveXLSX(f, filepath.Join(outDir, "exports", name))
}

func strPtr(s string) *string { return &s }

func walkInNote(r *record) string {
	n := r.Narrative
	if len([]rune(n)) > 60 {
		n = string([]rune(n)[:60])
	}
	return n
}

// ---- letters CSV (UTF-8 with BOM) ----

var lettersHeader = []string{"编号", "渠道", "收到日期", "客户姓名", "联系方式", "涉及网点", "业务", "问题类别", "问题描述", "处理情况", "回复日期"}

func cnDate(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) }

func (g *gen) writeLetters(outDir string) (FileTruth, error) {
	name := "letters_comment_box.csv"
	ft := FileTruth{File: "exports/" + name, Source: srcLetters, Format: "csv", Encoding: "utf-8-bom", HeaderRow: 1, AsOf: fmtD(g.cutOther.AddDate(0, 0, -1))}
	rows := g.rowsFor(srcLetters, func(*record) bool { return true }, func(*junk) bool { return true })
	f, err := createExport(outDir, name)
	if err != nil {
		return ft, err
	}
	cw := newCSVLines(f, "\ufeff")
	cw.write(lettersHeader)
	for _, w := range rows {
		r := w.r
		c := g.custs[r.Cust]
		b := branches[r.Branch]
		bname := b.Name
		if r.PhoneStyle%3 == 0 {
			bname = b.Alias
		}
		cat := g.pick(lettersCategory[r.Category])
		g.note("business_category", cat, r.Category)
		cause := g.pick(lettersCause[r.Cause])
		g.note("cause", cause, r.Cause)
		g.note("intake_channel", r.IntakeRaw, r.Intake)
		st := g.pick(statusSpell[srcLetters][r.Status])
		g.note("status", st, r.Status)
		reply := ""
		if !r.Replied.IsZero() {
			reply = cnDate(r.Replied)
		}
		fields := []string{r.ID, r.IntakeRaw, cnDate(r.Received), c.Name, phoneField(c.Phone, r.PhoneStyle, srcLetters), bname, cat, cause, r.Narrative, st, reply}
		if w.j != nil {
			switch w.j.Reason {
			case "unparseable_date":
				fields[2] = w.j.Raw
			case "missing_id":
				fields[0] = ""
			}
		}
		g.countRow(&ft, cw.line, w)
		cw.write(fields)
	}
	return ft, f.close(cw.err)
}

// ---- referrals XLSX ----

var referralsHeader = []string{"转办编号", "来源", "转办日期", "客户姓名", "证件号码", "联系电话", "业务类别", "投诉原因", "投诉类型", "承办机构", "办结日期", "办理状态", "是否重大"}

func (g *gen) referralsName() string {
	return fmt.Sprintf("referrals_%s_%s.xlsx", monthKey(g.first), monthKey(g.months[len(g.months)-1]))
}

func (g *gen) writeReferrals(outDir string) (FileTruth, error) {
	name := g.referralsName()
	sheet := "转办件"
	ft := FileTruth{File: "exports/" + name, Source: srcReferrals, Format: "xlsx", Sheet: sheet, HeaderRow: 1, AsOf: fmtD(g.cutOther.AddDate(0, 0, -1))}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return ft, err
	}
	hdr := make([]interface{}, len(referralsHeader))
	for i, h := range referralsHeader {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &hdr); err != nil {
		return ft, err
	}
	rows := g.rowsFor(srcReferrals, func(*record) bool { return true }, func(*junk) bool { return true })
	for i, w := range rows {
		rowNo := i + 2
		r := w.r
		c := g.custs[r.Cust]
		b := branches[r.Branch]
		id := c.ID18
		if r.ShowID == 15 {
			id = c.ID15
		}
		g.note("intake_channel", r.IntakeRaw, r.Intake)
		st := g.pick(statusSpell[srcReferrals][r.Status])
		g.note("status", st, r.Status)
		major := "否"
		if r.Major {
			major = "是"
		}
		reply := ""
		if !r.Replied.IsZero() {
			reply = fmtD(r.Replied)
		}
		vals := []interface{}{r.ID, r.IntakeRaw, fmtD(r.Received), c.Name, id, c.Phone, g.spell("business_category", r.Category, false),
			g.spell("cause", r.Cause, false), g.spell("complaint_type", r.Type, false), b.Name, reply, st, major}
		if w.j != nil {
			switch w.j.Reason {
			case "unparseable_date":
				vals[2] = w.j.Raw
			case "missing_id":
				vals[0] = ""
			}
		}
		// every value is text: the referral system exports dates as text
		for k, v := range vals {
			s, _ := v.(string)
			if err := f.SetCellStr(sheet, fmt.Sprintf("%s%d", colName(k+1), rowNo), s); err != nil {
				return ft, err
			}
		}
		g.countRow(&ft, rowNo, w)
	}
	_ = f.SetColWidth(sheet, "A", "A", 14)
	_ = f.SetColWidth(sheet, "E", "E", 20)
	if err := g.docProps(f, "监管及上级行转办投诉"); err != nil {
		return ft, err
	}
	return ft, g.saveXLSX(f, filepath.Join(outDir, "exports", name))
}

func (g *gen) saveXLSX(f *excelize.File, path string) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	b, err := normaliseZip(buf.Bytes(), g.cutOther)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// csvLines writes a CRLF CSV file as its rows come and counts physical lines, so that each record's row number
// (the line it starts on, quoted newlines included) is known for the truth. The first write error is kept in err.
type csvLines struct {
	out  io.Writer
	b    bytes.Buffer
	line int // the line the next record starts on
	err  error
}

func newCSVLines(out io.Writer, prefix string) *csvLines {
	c := &csvLines{out: out, line: 1}
	_, c.err = io.WriteString(out, prefix)
	return c
}

func (c *csvLines) write(fields []string) {
	c.b.Reset()
	w := csv.NewWriter(&c.b)
	w.UseCRLF = true
	_ = w.Write(fields)
	w.Flush()
	if c.err == nil {
		_, c.err = c.out.Write(c.b.Bytes())
	}
	c.line += bytes.Count(c.b.Bytes(), []byte("\n"))
}

// exportFile is an export written as its rows come (buffered), so no whole file is held in memory.
type exportFile struct {
	*bufio.Writer
	f *os.File
}

func createExport(outDir, name string) (*exportFile, error) {
	f, err := os.OpenFile(filepath.Join(outDir, "exports", name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return &exportFile{Writer: bufio.NewWriterSize(f, 1<<20), f: f}, nil
}

// close flushes and closes the file; err is an earlier error of the writing, which wins.
func (e *exportFile) close(err error) error {
	if err == nil {
		err = e.Flush()
	}
	if cerr := e.f.Close(); err == nil {
		err = cerr
	}
	return err
}
