package generator

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// hotlineProfile is the hotline export's source profile, in the demo's config and the ledger bank's (its hotline
// export: ledger_hotline.go).
const hotlineProfile = `  - name: hotline
    label: 客服热线
    glob: exports/hotline_*.csv
    format: csv
    encoding: gb18030
    delimiter: ","
    header_row: 1
    intake_channel: phone
    date_formats: ["2006/1/2 15:04", "2006/1/2"]
    snapshot: incremental
    columns: {source_id: 工单编号, record_type: 工单类型, received_at: 受理时间, customer_name: 客户姓名, customer_phone: 联系电话, customer_id_number: 证件号码, business_channel: 业务渠道, business_category: 业务类别, cause: 投诉原因, complaint_type: 投诉类型, demand: 客户诉求, branch: 所属机构, province: 所属省份, status: 处理状态, replied_at: 办结时间, satisfaction: 满意度, compensation: 补偿金额, summary: 投诉摘要, narrative: 投诉内容, handler: 经办人, reply_facts: 调查核实情况, reply_accountability: 责任人处理意见, reply_remediation: 整改措施, reply_satisfaction: 客户满意程度, reply_time: 处理时间, reply_handler_contact: 经办人联系电话, updated_at: 更新时间}
`

// configYAML is the demo configuration that reads the exports (paths relative to the file).
func (g *gen) configYAML() string {
	return fmt.Sprintf(`# Demo configuration for the bundled sample data. Paths are relative to this file.
# Written by complaints/sample-data/generator (seed %d); truth.json beside it holds the figures to expect.
institution: 示例银行股份有限公司
language: zh
# The branch master (code, name, aliases, parent, province): every export's spelling of a branch (full name,
# short alias such as 天河支行, or code) maps to one unit, and complaints.branch holds its code.
branches: branches.csv
sources:
  # 客服热线: GB18030 CSV, CRLF, Chinese headers; the later file is an incremental export (newest 更新时间 wins).
`+hotlineProfile+`  # 网上投诉平台/手机银行: NDJSON with nested objects; times are ISO 8601 with +08:00.
  - name: online
    label: 网上投诉平台
    glob: exports/online_platform.ndjson
    format: ndjson
    encoding: utf-8
    as_of: "%s"
    columns: {source_id: ticket_id, received_at: created_at, intake_channel: channel, customer_name: customer.name, customer_phone: customer.mobile, customer_id_number: customer.id_no, customer_card: customer.card_no, business_category: product.category, business_channel: product.channel, cause: reason, complaint_type: type, demand: demand, branch: org.branch, province: org.province, status: status, replied_at: resolved_at, satisfaction: satisfaction, compensation: compensation, summary: summary, narrative: detail, updated_at: updated_at}
  # 上门投诉登记簿: XLSX, merged title row (截至 date), header on row 2, dates as Excel serial numbers.
  - name: walk_in
    label: 网点现场登记
    glob: exports/branch_walkin_log.xlsx
    format: xlsx
    sheet: 登记簿
    header_row: 2
    intake_channel: walk_in
    columns: {source_id: 登记编号, received_at: 登记日期, customer_name: 客户姓名, customer_phone: 联系电话, branch: 网点名称, business_category: 业务类别, cause: 投诉原因, complaint_type: 投诉类型, status: 处理结果, replied_at: 办结日期, satisfaction: 客户意见, narrative: 备注}
  # 信件/意见簿/意见箱: UTF-8 CSV with a BOM; the channel is per record (渠道); dates like 2025年10月3日.
  - name: letters
    label: 信函与意见簿
    glob: exports/letters_comment_box.csv
    format: csv
    encoding: utf-8-bom
    delimiter: ","
    header_row: 1
    as_of: "%s"
    date_formats: ["2006年1月2日"]
    columns: {source_id: 编号, intake_channel: 渠道, received_at: 收到日期, customer_name: 客户姓名, customer_phone: 联系方式, branch: 涉及网点, business_category: 业务, cause: 问题类别, narrative: 问题描述, status: 处理情况, replied_at: 回复日期}
  # 监管转送/上级行转办/政府部门转来: XLSX, text dates; the channel is per record (来源).
  - name: referrals
    label: 上级及监管转办
    glob: exports/referrals_*.xlsx
    format: xlsx
    sheet: 转办件
    header_row: 1
    as_of: "%s"
    date_formats: ["2006-01-02"]
    columns: {source_id: 转办编号, intake_channel: 来源, received_at: 转办日期, customer_name: 客户姓名, customer_id_number: 证件号码, customer_phone: 联系电话, business_category: 业务类别, cause: 投诉原因, complaint_type: 投诉类型, branch: 承办机构, replied_at: 办结日期, status: 办理状态, major: 是否重大}
`, g.opts.Seed, fmtD(g.cutOther.AddDate(0, 0, -1)), fmtD(g.cutOther.AddDate(0, 0, -1)), fmtD(g.cutOther.AddDate(0, 0, -1)))
}

// branchesCSV is the branch master: code, name, aliases (;-separated), parent, province.
func branchesCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"code", "name", "aliases", "parent", "province_code", "province_name"})
	for _, p := range provincialBranches {
		_ = w.Write([]string{p.Code, p.Name, "", "", p.ProvCode, p.ProvName})
	}
	for _, br := range branches {
		_ = w.Write([]string{br.Code, br.Name, strings.Join([]string{br.Alias, strings.TrimSuffix(br.Alias, "支行") + "网点"}, ";"), br.Parent, br.ProvCode, br.ProvName})
	}
	w.Flush()
	return b.Bytes()
}
