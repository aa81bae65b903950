package generator

import (
	"fmt"
	"math/rand/v2"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// The ledger bank's hotline (Options.HotlineRows, complaints sample --ledgers monthly --hotline-rows N): the
// customer-service hotline's own export beside the ledgers, as the demo bank's hotline hands it over: GB18030,
// CRLF, the hotline's Chinese headers (hotlineHeader) and its own ids (KF...). It holds N complaint calls received
// over the window's months, each with its status at the end of the last month, in one file
// exports/hotline_<last day>.csv. It streams like the ledgers: call i is drawn from its own random source.

// hotlineSeedSalt keeps the hotline's random sources apart from the ledgers'.
const hotlineSeedSalt = 0x4b46_686f_746c_696e

// HotlineFile is the written hotline export.
type HotlineFile struct {
	File string // relative to the project folder: exports/hotline_20261031.csv
	Rows int
}

// writeLedgerHotline writes opts.HotlineRows hotline calls over the window of opts into outDir/exports.
func writeLedgerHotline(opts Options, outDir string) (*HotlineFile, error) {
	hopts := opts
	hopts.Seed, hopts.Rows = opts.Seed^hotlineSeedSalt, opts.HotlineRows
	hb := newLedgerBank(hopts)
	last := len(hb.months) - 1
	hf := &HotlineFile{File: "exports/hotline_" + hb.cut(last).AddDate(0, 0, -1).Format("20060102") + ".csv"}
	f, err := createExport(outDir, hf.File[len("exports/"):])
	if err != nil {
		return nil, err
	}
	enc := transform.NewWriter(f, simplifiedchinese.GB18030.NewEncoder())
	cw := newCSVLines(enc, "")
	cw.write(hotlineHeader)
	for m := range hb.months {
		for i := hb.first[m]; i < hb.first[m+1] && cw.err == nil; i++ {
			c := hb.complaint(i, m)
			cw.write(hotlineRow(hb, &c, i, last))
			hf.Rows++
		}
	}
	if cw.err == nil {
		cw.err = enc.Close()
	}
	if err := f.close(cw.err); err != nil {
		return nil, fmt.Errorf("generator: %s: %w", hf.File, err)
	}
	return hf, nil
}

// hotlineRow is call i (complaint c) as the hotline export shows it at the end of month j: the ledger's fields
// under the hotline's headers, and the fields only the hotline keeps drawn from the call's own source.
func hotlineRow(b *ledgerBank, c *ledgerComplaint, i, j int) []string {
	l := b.row(c, j) // 工单编号 受理时间 客户姓名 联系电话 业务类别 投诉原因 所属机构 所属省份 处理状态 办结时间 满意度 投诉内容 更新时间
	rng := rand.New(rand.NewPCG(uint64(b.seed), uint64(i)|1<<62))
	channels := bizChannelByCategory[c.category]
	if channels == nil {
		channels = bizChannelByCategory[""]
	}
	comp := ""
	if l[8] == "已办结" {
		comp = "0.00"
	}
	handler := fmt.Sprintf("工号%c%04d", 'A'+rune(rng.IntN(6)), 1000+rng.IntN(9000))
	id := "KF" + c.received.Format("20060102") + fmt.Sprintf("%07d", i+1)
	return []string{
		id, recordTypeSpell["complaint"], l[1], l[2], l[3], "",
		spellZH["business_channel"][pickWeighted(rng, channels)][0], l[4], l[5],
		spellZH["complaint_type"][pickWeighted(rng, typeByCause[c.cause])][0],
		spellZH["demand"][pickWeighted(rng, demandByCause[c.cause])][0],
		l[6], l[7], l[8], l[9], l[10], comp, summaryByCause[c.cause], l[11], handler,
		"", "", "", "", "", "", l[12],
	}
}

func hotlineConfig() string {
	return `  # 客服热线: GB18030 CSV, CRLF, Chinese headers; the calls of the whole window with their latest status.
` + hotlineProfile
}
