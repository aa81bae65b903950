package ingest

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"complaints/internal/editdist"

	"golang.org/x/text/width"
)

// Field kinds: how the mapping step treats a landing field's raw value.
const (
	kindText     = iota // landed as text (scrubbed of personal patterns)
	kindID              // landed as text, never scrubbed (ids, references)
	kindDate            // parsed to Beijing wall-clock text; unparseable lands raw
	kindRequired        // received_at: parsed; unparseable rejects the row
	kindPersonal        // never landed: replaced by keys and masks
	kindAmount          // money: canonical decimal text (parseAmount); unparseable lands raw for staging to flag
)

// inputField is a field an export may carry. Personal fields are inputs only: they land as keys and masks.
type inputField struct {
	Name     string
	Kind     int
	Synonyms []string // Chinese and English header texts, best first
}

// inputFields lists every field the mapping step knows, with the header synonyms that map most exports with
// no profile columns at all. Order matters only for listing.
var inputFields = []inputField{
	{"source_id", kindID, []string{"工单编号", "投诉编号", "登记编号", "转办编号", "编号", "工单号", "投诉单号", "案件编号", "来信编号", "信件编号", "流水号", "单号",
		"complaint id", "complaint_id", "ticket id", "case id", "case number", "ticket number", "id"}},
	{"record_type", kindText, []string{"工单类型", "工单类别", "来电类型", "记录类型", "服务类型", "诉求类型", "record type", "ticket type", "work order type"}},
	{"received_at", kindRequired, []string{"受理时间", "投诉时间", "来电时间", "登记日期", "收到日期", "转办日期", "受理日期", "投诉日期", "登记时间", "来信日期", "收信日期",
		"接收时间", "来电日期", "提交时间", "创建时间", "date received", "received at", "received", "received time", "created at", "submitted at", "complaint date", "create time"}},
	{"updated_at", kindDate, []string{"更新时间", "最后更新时间", "修改时间", "最后修改时间", "更新日期", "updated at", "updated", "last updated", "last modified", "modified at", "update time"}},
	{"intake_channel", kindText, []string{"受理渠道", "投诉渠道", "来源渠道", "投诉来源", "来源", "来访方式", "投诉方式", "submitted via", "intake channel", "source channel", "channel", "via"}},
	{"business_channel", kindText, []string{"业务办理渠道", "业务渠道", "办理渠道", "交易渠道", "business channel"}},
	{"business_category", kindText, []string{"业务类别", "业务类型", "业务种类", "业务分类", "投诉业务", "产品类别", "业务", "产品", "product", "business category", "category", "business line"}},
	{"cause", kindText, []string{"投诉原因", "原因", "问题类别", "问题类型", "问题分类", "投诉问题", "原因分类", "issue", "cause", "reason", "complaint reason"}},
	{"sub_category", kindText, []string{"sub-product", "sub product", "subproduct", "sub-category", "subcategory"}},
	{"sub_cause", kindText, []string{"sub-issue", "sub issue", "subissue", "sub-cause"}},
	{"complaint_type", kindText, []string{"投诉类型", "投诉性质", "投诉分类", "投诉类别", "complaint type"}},
	{"demand", kindText, []string{"投诉诉求", "客户诉求", "诉求", "诉求内容", "demand", "customer demand", "request"}},
	{"branch", kindText, []string{"网点名称", "网点", "机构名称", "机构", "承办机构", "所属机构", "经办机构", "受理机构", "处理机构", "营业网点", "支行", "网点代码", "机构代码", "机构号",
		"branch", "branch name", "branch code", "org unit", "organization"}},
	{"province", kindText, []string{"省份", "省", "所在省份", "地区", "所在地区", "客户所在地", "province", "state", "region"}},
	{"customer_name", kindPersonal, []string{"客户姓名", "姓名", "投诉人", "投诉人姓名", "客户名称", "来信人", "来电人", "来访人", "当事人", "客户",
		"customer name", "name", "complainant", "customer", "full name"}},
	{"customer_phone", kindPersonal, []string{"联系电话", "手机号", "手机号码", "客户电话", "来电号码", "电话", "联系方式", "手机", "客户手机",
		"mobile", "phone", "phone number", "customer phone", "customer mobile", "contact phone", "tel", "telephone", "mobile number"}},
	{"customer_id_number", kindPersonal, []string{"身份证号", "身份证号码", "证件号码", "证件号", "客户证件号", "客户证件号码", "身份证", "证件",
		"id number", "id no", "id card", "customer id number", "national id", "id_number", "customer id card"}},
	{"customer_card", kindPersonal, []string{"卡号", "银行卡号", "账号", "卡号账号", "账户", "客户账号", "账户号码", "card number", "card no", "card", "account number", "customer card"}},
	{"status", kindText, []string{"状态", "处理状态", "工单状态", "办理状态", "办结状态", "案件状态", "status", "case status"}},
	{"replied_at", kindDate, []string{"回复时间", "答复时间", "回复日期", "答复日期", "办结时间", "办结日期", "结案时间", "结案日期", "处理完成时间", "完成时间", "回复客户时间",
		"replied at", "reply date", "closed at", "resolved at", "date closed", "reply time"}},
	{"paused_days", kindText, []string{"暂停天数", "中止天数", "扣除天数", "鉴定天数", "调解天数", "paused days", "pause days"}},
	{"extension_tier", kindText, []string{"延期", "延期类型", "延长期限", "延期层级", "延期天数", "extension", "extension tier"}},
	{"extension_approved", kindText, []string{"延期审批", "延期是否审批", "延期已审批", "延期批准", "延期是否批准", "extension approved"}},
	{"timely_response", kindText, []string{"timely response?", "timely response"}},
	{"outcome", kindText, []string{"处理结果", "办理结果", "处理意见", "结果", "company response to consumer", "outcome", "resolution", "result"}},
	{"satisfaction", kindText, []string{"满意度", "客户满意度", "满意程度", "评价", "回访结果", "回访满意度", "satisfaction"}},
	{"compensation", kindAmount, []string{"赔偿金额", "补偿金额", "赔付金额", "补偿", "赔偿", "compensation", "compensation amount", "refund amount"}},
	{"reply_facts", kindText, []string{"投诉事由及调查核实情况", "调查核实情况", "核实情况", "事由及核实情况", "reply facts"}},
	{"reply_accountability", kindText, []string{"对相关责任人处理意见", "责任人处理意见", "责任人处理", "问责情况", "reply accountability"}},
	{"reply_remediation", kindText, []string{"应吸取的教训及整改措施", "教训及整改措施", "整改措施", "reply remediation", "remediation"}},
	{"reply_satisfaction", kindText, []string{"客户对处理结果的满意程度", "对处理结果的满意程度", "reply satisfaction"}},
	{"reply_time", kindText, []string{"处理时间", "回复处理时间", "reply handling time"}},
	{"reply_handler_contact", kindText, []string{"经办人和联系电话", "经办人及联系电话", "经办人联系电话", "经办人联系方式", "handler contact", "reply handler contact"}},
	{"handler", kindText, []string{"经办人", "处理人", "承办人", "受理人", "坐席", "坐席工号", "handler", "agent", "staff"}},
	{"major", kindText, []string{"是否重大投诉", "重大投诉", "是否重大", "重大", "major", "is major"}},
	{"referral_ref", kindID, []string{"转送编号", "监管转送编号", "转办单号", "来文编号", "监管编号", "原工单号", "referral ref", "referral no", "referral number", "regulator ref"}},
	{"summary", kindText, []string{"投诉摘要", "摘要", "投诉内容摘要", "问题摘要", "投诉事由", "事由", "标题", "主题", "summary", "subject", "title"}},
	{"narrative", kindText, []string{"投诉内容", "详细内容", "内容", "问题描述", "投诉描述", "情况说明", "来信内容", "描述", "详情", "备注",
		"consumer complaint narrative", "narrative", "description", "details", "content", "complaint text", "text"}},
}

// fieldByName indexes inputFields.
var fieldByName = func() map[string]*inputField {
	m := map[string]*inputField{}
	for i := range inputFields {
		m[inputFields[i].Name] = &inputFields[i]
	}
	return m
}()

// requiredFields must be mapped or the file fails: a row without them cannot be a complaint record.
var requiredFields = []string{"source_id", "received_at"}

type synonymHit struct {
	field string
	rank  int
}

// synonymIndex maps a normalised header text to the field and its rank among that field's synonyms.
var synonymIndex = func() map[string]synonymHit {
	m := map[string]synonymHit{}
	for _, f := range inputFields {
		for i, s := range f.Synonyms {
			k := normHeader(s)
			if _, dup := m[k]; !dup {
				m[k] = synonymHit{f.Name, i}
			}
		}
		if _, dup := m[normHeader(f.Name)]; !dup {
			m[normHeader(f.Name)] = synonymHit{f.Name, 0}
		}
	}
	return m
}()

// normHeader folds a header text for matching: full-width to half-width, lower case, bracketed notes such as
// （北京时间） and required-field stars removed, and spaces, dots, underscores and hyphens dropped.
func normHeader(s string) string {
	s = width.Fold.String(s)
	s = strings.ToLower(strings.TrimSpace(s))
	s = dropBrackets(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '.', r == '_', r == '-', r == '*', r == ':', r == '/', r == '?', r == '、':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func dropBrackets(s string) string {
	for _, p := range [][2]string{{"(", ")"}, {"[", "]"}, {"【", "】"}, {"<", ">"}} {
		for {
			i := strings.Index(s, p[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], p[1])
			if j < 0 {
				break
			}
			if i == 0 && i+j+len(p[1]) == len(s) { // the whole header is bracketed: keep its text
				s = s[len(p[0]) : len(s)-len(p[1])]
				break
			}
			s = s[:i] + s[i+j+len(p[1]):]
		}
	}
	return s
}

// customerParents are JSON object names whose leaf keys describe the customer (customer.id is not the
// complaint's id).
var customerParents = map[string]bool{"customer": true, "client": true, "consumer": true, "user": true, "complainant": true, "客户": true, "投诉人": true}

// matchHeader returns the field a header maps to by the built-in synonyms, and a score (lower is better).
func matchHeader(h string) (synonymHit, bool) {
	if hit, ok := synonymIndex[normHeader(h)]; ok {
		return hit, true
	}
	// Dotted JSON paths: try the leaf, then "parent leaf" (customer.mobile -> customer mobile).
	if i := strings.LastIndex(h, "."); i > 0 {
		leaf := h[i+1:]
		parent := h[:i]
		if j := strings.LastIndex(parent, "."); j >= 0 {
			parent = parent[j+1:]
		}
		if hit, ok := synonymIndex[normHeader(parent+" "+leaf)]; ok {
			return synonymHit{hit.field, hit.rank + 50}, true
		}
		if hit, ok := synonymIndex[normHeader(leaf)]; ok {
			if customerParents[strings.ToLower(parent)] && fieldByName[hit.field].Kind != kindPersonal {
				if hit.field == "source_id" { // customer.id is the customer's identifier, not the complaint's
					return synonymHit{"customer_id_number", 100 + hit.rank}, true
				}
				return synonymHit{}, false
			}
			return synonymHit{hit.field, 100 + hit.rank}, true
		}
	}
	return synonymHit{}, false
}

// columnMap is the resolved mapping of one file: field -> column index, with the header text.
type columnMap struct {
	Header []string
	Index  map[string]int // field -> column
	By     map[string]string
	// Missing are the profile's fields none of whose header names the file has, sorted; Alternative says, per
	// field read from an alternative name, the first name (which the file lacks).
	Missing     []string
	Alternative map[string]string
	// HeaderByContent: mapping by content took some columns and found the header row reads as headers, not as
	// a record (content.go headerIsData), so it may be quoted although no cell is a synonym.
	HeaderByContent bool
	// ContentWord says, per field mapped by content through a header cue (catalog.HeaderCues), the word found.
	ContentWord map[string]string
}

// resolveColumns maps a header to fields: the profile's columns first (a field to the first of its names the
// file has; several fields may share a header), then the built-in synonyms (each remaining header to at most
// one field, each field to its best-ranked header).
func resolveColumns(header []string, p *Profile) columnMap {
	cm := columnMap{Header: header, Index: map[string]int{}, By: map[string]string{}, Alternative: map[string]string{}}
	used := map[int]bool{}
	if p != nil {
		for _, f := range p.Columns.Fields() {
			names := p.Columns.Names(f)
			col := -1
			for _, name := range names {
				if col = profileColumn(header, name, used); col >= 0 {
					if name != names[0] {
						cm.Alternative[f] = names[0]
					}
					break
				}
			}
			if col < 0 {
				cm.Missing = append(cm.Missing, f)
				continue
			}
			cm.Index[f], cm.By[f] = col, "profile"
			used[col] = true
		}
	}
	type cand struct {
		col, score int
	}
	best := map[string]cand{}
	for i, h := range header {
		if used[i] || strings.TrimSpace(h) == "" {
			continue
		}
		hit, ok := matchHeader(h)
		if !ok {
			continue
		}
		if _, done := cm.Index[hit.field]; done || slices.Contains(cm.Missing, hit.field) {
			continue // the profile's own mapping decides the field, even when its header is missing
		}
		if b, seen := best[hit.field]; !seen || hit.rank < b.score {
			best[hit.field] = cand{i, hit.rank}
		}
	}
	// Assign fields in order of score so that a header claimed by two fields goes to the better match.
	type pair struct {
		field string
		cand
	}
	var pairs []pair
	for f, c := range best {
		pairs = append(pairs, pair{f, c})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].score != pairs[j].score {
			return pairs[i].score < pairs[j].score
		}
		return pairs[i].field < pairs[j].field
	})
	for _, pr := range pairs {
		if used[pr.col] {
			continue
		}
		cm.Index[pr.field], cm.By[pr.field] = pr.col, "synonym"
		used[pr.col] = true
	}
	return cm
}

// profileColumn is the column a profile's header name picks: the first header equal to it (or equal once
// folded by normHeader) that no field took yet, else the first one taken (fields may share a column), else for
// "header#N" the N-th column of that header text; -1 when the file has none.
func profileColumn(header []string, name string, used map[int]bool) int {
	want := normHeader(name)
	first := -1
	for i, h := range header {
		if h == name || normHeader(h) == want {
			if !used[i] {
				return i // a header written twice: a second field naming it reads the second column
			}
			if first < 0 {
				first = i
			}
		}
	}
	if first >= 0 {
		return first // several fields read one column (status and outcome)
	}
	if text, nth, ok := nthHeader(name); ok {
		for i, h := range header {
			if dupKey(h) == dupKey(text) {
				if nth--; nth == 0 {
					return i
				}
			}
		}
	}
	return -1
}

// nthHeader splits a profile's "header#N" (N >= 1) into the header text and N.
func nthHeader(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, '#')
	if i <= 0 || i == len(s)-1 {
		return "", 0, false
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' || n > 1000 {
			return "", 0, false
		}
		n = n*10 + int(c-'0')
	}
	return s[:i], n, n >= 1
}

// headerScore says how much a row looks like a header: the number of distinct cells that map to a field.
func headerScore(row []string, p *Profile) int {
	var names map[string]bool
	if p != nil {
		names = profileNames(p)
	}
	seen := map[string]bool{}
	n := 0
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if _, ok := matchHeader(c); ok {
			n++
			continue
		}
		if names[normHeader(c)] {
			n++
		}
	}
	return n
}

// profileNames are the profile's header names (every alternative), folded by normHeader.
func profileNames(p *Profile) map[string]bool {
	out := map[string]bool{}
	for f := range p.Columns {
		for _, n := range p.Columns.Names(f) {
			out[normHeader(n)] = true
		}
	}
	return out
}

// closestHeaders suggests, for a missing field, the headers nearest to its synonyms (edit distance on the
// normalised text), so the error message tells the user what to put in the profile's columns.
func closestHeaders(field string, header []string, n int) []string {
	f := fieldByName[field]
	if f == nil {
		return nil
	}
	type sc struct {
		h string
		d float64
	}
	var all []sc
	for _, h := range header {
		nh := normHeader(h)
		if nh == "" {
			continue
		}
		best := 1e9
		for _, s := range append([]string{field}, f.Synonyms...) {
			ns := normHeader(s)
			d := float64(editdist.Runes([]rune(nh), []rune(ns))) / float64(max(len([]rune(nh)), len([]rune(ns))))
			if strings.Contains(nh, ns) || strings.Contains(ns, nh) {
				d /= 2
			}
			best = min(best, d)
		}
		all = append(all, sc{h, best})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for _, a := range all {
		if len(out) == n || a.d > 0.75 {
			break
		}
		out = append(out, a.h)
	}
	return out
}
