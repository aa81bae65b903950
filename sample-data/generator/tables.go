package generator

// Static tables of the demo bank: branches, weights and the raw spellings each export uses. Every spelling here
// must map to its code through catalog/taxonomy.yaml (TestSpellingsMapToCatalogue checks every one written).

type branch struct {
	Code, Name, Alias, ProvCode, ProvName, ProvShort, Parent string
	Weight                                                   float64
	Phone                                                    string // area code for the handler's contact number
}

var provincialBranches = []struct{ Code, Name, ProvCode, ProvName string }{
	{"BJ000", "北京分行", "110000", "北京市"},
	{"SH000", "上海分行", "310000", "上海市"},
	{"JS000", "江苏省分行", "320000", "江苏省"},
	{"ZJ000", "浙江省分行", "330000", "浙江省"},
	{"SD000", "山东省分行", "370000", "山东省"},
	{"HB000", "湖北省分行", "420000", "湖北省"},
	{"GD000", "广东省分行", "440000", "广东省"},
	{"SC000", "四川省分行", "510000", "四川省"},
}

var branches = []branch{
	{"BJ001", "北京朝阳支行", "朝阳支行", "110000", "北京市", "北京", "BJ000", 8, "010"},
	{"BJ002", "北京海淀支行", "海淀支行", "110000", "北京市", "北京", "BJ000", 7, "010"},
	{"SH001", "上海浦东支行", "浦东支行", "310000", "上海市", "上海", "SH000", 8, "021"},
	{"SH002", "上海徐汇支行", "徐汇支行", "310000", "上海市", "上海", "SH000", 6, "021"},
	{"JS001", "南京鼓楼支行", "鼓楼支行", "320000", "江苏省", "江苏", "JS000", 6, "025"},
	{"JS002", "苏州工业园区支行", "园区支行", "320000", "江苏省", "江苏", "JS000", 5, "0512"},
	{"ZJ001", "杭州西湖支行", "西湖支行", "330000", "浙江省", "浙江", "ZJ000", 6, "0571"},
	{"ZJ002", "宁波鄞州支行", "鄞州支行", "330000", "浙江省", "浙江", "ZJ000", 4, "0574"},
	{"SD001", "济南历下支行", "历下支行", "370000", "山东省", "山东", "SD000", 5, "0531"},
	{"HB001", "武汉江汉支行", "江汉支行", "420000", "湖北省", "湖北", "HB000", 6, "027"},
	{"HB002", "武汉洪山支行", "洪山支行", "420000", "湖北省", "湖北", "HB000", 4, "027"},
	{"GD001", "广州天河支行", "天河支行", "440000", "广东省", "广东", "GD000", 8, "020"},
	{"GD002", "广州越秀支行", "越秀支行", "440000", "广东省", "广东", "GD000", 5, "020"},
	{"GD003", "深圳福田支行", "福田支行", "440000", "广东省", "广东", "GD000", 7, "0755"},
	{"SC001", "成都锦江支行", "锦江支行", "510000", "四川省", "四川", "SC000", 5, "028"},
	{"SC002", "成都高新支行", "高新支行", "510000", "四川省", "四川", "SC000", 4, "028"},
}

// ID-number area codes (GB/T 2260 county level) by province, for customers' ID numbers.
var areaCodes = map[string][]string{
	"110000": {"110105", "110108", "110101"},
	"310000": {"310115", "310104", "310101"},
	"320000": {"320106", "320506", "320102"},
	"330000": {"330106", "330212", "330102"},
	"370000": {"370102", "370103"},
	"420000": {"420103", "420111"},
	"440000": {"440106", "440104", "440304"},
	"510000": {"510104", "510107"},
}

type weighted struct {
	Code string
	W    float64
}

var sourceWeights = []weighted{{"hotline", 55}, {"online", 30}, {"walk_in", 8}, {"letters", 3}, {"referrals", 4}}

var categoryWeights = []weighted{
	{"credit_card", 26}, {"payment_settlement", 22}, {"debit_card", 13}, {"loans", 11}, {"wealth_management", 7},
	{"rmb_savings", 6}, {"agency", 4}, {"personal_information", 3}, {"debt_collection", 2}, {"other", 2},
	{"foreign_exchange", 1.5}, {"precious_metals", 1}, {"rmb_cash", 1}, {"other_intermediary", 1}, {"treasury", 0.5},
}

var causeWeights = []weighted{
	{"service_quality", 30}, {"rules_processes", 20}, {"facilities_systems", 15}, {"pricing_fees", 12},
	{"marketing", 4}, {"disclosure", 4}, {"fund_safety", 4}, {"product_returns", 2}, {"contract_terms", 2},
	{"information_security", 2}, {"collection_methods", 2}, {"free_choice", 1}, {"other", 2},
}

// causeBoost multiplies cause weights by business category.
var causeBoost = map[string]map[string]float64{
	"credit_card":          {"pricing_fees": 2, "collection_methods": 3, "marketing": 2},
	"payment_settlement":   {"facilities_systems": 2.5, "fund_safety": 2},
	"debit_card":           {"facilities_systems": 1.3, "fund_safety": 1.5},
	"loans":                {"pricing_fees": 1.5, "contract_terms": 3, "collection_methods": 2},
	"wealth_management":    {"product_returns": 8, "disclosure": 3, "marketing": 2},
	"agency":               {"marketing": 3, "disclosure": 2, "free_choice": 3},
	"debt_collection":      {"collection_methods": 15},
	"personal_information": {"information_security": 10},
}

var typeByCause = map[string][]weighted{
	"service_quality":      {{"service_attitude", 70}, {"work_error", 15}, {"internal_management", 10}, {"service_channel", 5}},
	"facilities_systems":   {{"service_channel", 70}, {"work_error", 15}, {"service_product", 15}},
	"rules_processes":      {{"internal_management", 50}, {"work_error", 30}, {"service_product", 20}},
	"pricing_fees":         {{"service_product", 60}, {"internal_management", 25}, {"irregular_operation", 15}},
	"marketing":            {{"irregular_operation", 40}, {"service_attitude", 30}, {"service_product", 30}},
	"disclosure":           {{"service_product", 50}, {"irregular_operation", 30}, {"work_error", 20}},
	"product_returns":      {{"service_product", 80}, {"irregular_operation", 20}},
	"contract_terms":       {{"service_product", 70}, {"internal_management", 30}},
	"fund_safety":          {{"irregular_operation", 40}, {"service_channel", 30}, {"work_error", 30}},
	"information_security": {{"irregular_operation", 60}, {"internal_management", 40}},
	"collection_methods":   {{"irregular_operation", 60}, {"service_attitude", 40}},
	"free_choice":          {{"irregular_operation", 50}, {"service_product", 50}},
	"other":                {{"work_error", 40}, {"internal_management", 30}, {"service_product", 30}},
}

var complexTypes = map[string]bool{"service_product": true, "service_channel": true, "irregular_operation": true}

var demandByCause = map[string][]weighted{
	"service_quality":      {{"apology", 50}, {"explanation", 30}, {"other", 20}},
	"facilities_systems":   {{"restore_service", 40}, {"expedite", 30}, {"explanation", 30}},
	"rules_processes":      {{"explanation", 40}, {"expedite", 30}, {"correction", 30}},
	"pricing_fees":         {{"refund", 70}, {"explanation", 30}},
	"marketing":            {{"stop_harassment", 60}, {"apology", 40}},
	"disclosure":           {{"explanation", 50}, {"refund", 30}, {"compensation", 20}},
	"product_returns":      {{"compensation", 60}, {"explanation", 40}},
	"contract_terms":       {{"correction", 50}, {"explanation", 50}},
	"fund_safety":          {{"compensation", 60}, {"refund", 40}},
	"information_security": {{"explanation", 50}, {"compensation", 30}, {"apology", 20}},
	"collection_methods":   {{"stop_harassment", 80}, {"apology", 20}},
	"free_choice":          {{"refund", 60}, {"explanation", 40}},
	"other":                {{"other", 50}, {"explanation", 50}},
}

var bizChannelByCategory = map[string][]weighted{
	"credit_card":        {{"mobile_app", 35}, {"phone_banking", 20}, {"branch_counter", 15}, {"third_party", 15}, {"back_office", 10}, {"sms", 5}},
	"payment_settlement": {{"mobile_app", 40}, {"online_banking", 25}, {"third_party", 15}, {"branch_counter", 15}, {"public_platform", 5}},
	"debit_card":         {{"branch_counter", 40}, {"self_service", 25}, {"mobile_app", 25}, {"sms", 10}},
	"loans":              {{"branch_counter", 50}, {"back_office", 25}, {"mobile_app", 20}, {"phone_banking", 5}},
	"wealth_management":  {{"branch_counter", 50}, {"mobile_app", 40}, {"online_banking", 10}},
	"":                   {{"branch_counter", 60}, {"mobile_app", 25}, {"other", 15}},
}

// Raw spellings by dimension and code: zh as Chinese systems write them, en as the online platform may.
var spellZH = map[string]map[string][]string{
	"business_category": {
		"credit_card":          {"信用卡", "信用卡", "信用卡", "信用卡", "信用卡中心", "贷记卡"},
		"debit_card":           {"借记卡", "借记卡", "借记卡", "储蓄卡"},
		"bank_card":            {"银行卡"},
		"payment_settlement":   {"支付结算", "支付结算", "支付结算", "转账汇款", "网银转账失败", "快捷支付", "汇款"},
		"loans":                {"贷款", "贷款", "个人贷款", "房贷", "消费贷", "住房贷款"},
		"wealth_management":    {"理财", "自营理财", "理财产品"},
		"rmb_savings":          {"人民币储蓄", "储蓄", "存款", "定期存款"},
		"rmb_cash":             {"人民币管理", "残损币兑换", "零钱兑换"},
		"foreign_exchange":     {"外汇", "结售汇", "外币"},
		"agency":               {"银行代理业务", "代理保险", "代理基金", "代销"},
		"precious_metals":      {"贵金属", "黄金", "积存金"},
		"treasury":             {"国库", "国债"},
		"personal_information": {"个人金融信息", "征信", "个人信息"},
		"debt_collection":      {"债务催收", "催收"},
		"other_intermediary":   {"其他中间业务", "中间业务"},
		"other":                {"其他"},
	},
	"cause": {
		"service_quality":      {"服务态度及服务质量", "服务态度", "服务质量", "态度差", "服务态度不好", "服务态度差", "排队时间长", "等候时间长"},
		"facilities_systems":   {"服务设施、设备、业务系统", "系统故障", "APP闪退", "无法登录", "ATM吞卡", "设备故障", "业务系统"},
		"rules_processes":      {"管理制度、业务规则与流程", "业务规则", "业务流程", "流程繁琐", "手续繁琐"},
		"marketing":            {"营销方式和手段", "营销电话", "强制搭售", "骚扰营销"},
		"disclosure":           {"信息披露", "未告知", "告知不清"},
		"free_choice":          {"自主选择权", "捆绑销售"},
		"pricing_fees":         {"定价收费", "收费", "乱收费", "年费", "手续费", "利息"},
		"product_returns":      {"产品收益", "收益不及预期", "亏损"},
		"contract_terms":       {"合同条款", "格式条款"},
		"fund_safety":          {"消费者资金安全", "盗刷", "被盗刷", "资金被盗"},
		"information_security": {"消费者信息安全", "信息泄露", "个人信息泄露"},
		"collection_methods":   {"债务催收方式和手段", "暴力催收", "催收骚扰"},
		"other":                {"其他"},
	},
	"complaint_type": {
		"work_error": {"工作失误"}, "service_attitude": {"服务态度"}, "internal_management": {"内部管理"},
		"service_product": {"服务产品"}, "service_channel": {"服务渠道"}, "irregular_operation": {"违规操作"},
	},
	"demand": {
		"refund": {"退费", "退款"}, "compensation": {"补偿", "赔偿"}, "apology": {"道歉", "赔礼道歉"},
		"explanation": {"解释", "核实原因", "说明情况"}, "correction": {"更正"}, "stop_harassment": {"停止骚扰", "停止催收"},
		"expedite": {"加快处理", "尽快处理"}, "restore_service": {"恢复使用", "解冻"}, "other": {"其他"},
	},
	"business_channel": {
		"branch_counter": {"营业现场", "营业现场", "柜面"}, "self_service": {"自助机具", "ATM", "自助设备"},
		"online_banking": {"网上银行", "网银"}, "phone_banking": {"电话银行"}, "mobile_app": {"手机银行", "手机银行", "移动客户端", "手机APP"},
		"public_platform": {"微信银行", "公众号", "小程序"}, "sms": {"短信"}, "third_party": {"第三方支付", "第三方渠道"},
		"back_office": {"中后台"}, "other": {"其他"},
	},
	"satisfaction": {"satisfied": {"满意"}, "basically_satisfied": {"基本满意"}, "dissatisfied": {"不满意"}},
}

var spellEN = map[string]map[string][]string{
	"business_category": {
		"credit_card": {"credit card"}, "debit_card": {"debit card"}, "bank_card": {"bank card"},
		"payment_settlement": {"payment", "transfer", "payments"}, "loans": {"loans", "loan", "mortgage"},
		"wealth_management": {"wealth management"}, "rmb_savings": {"savings", "deposits"}, "rmb_cash": {"cash"},
		"foreign_exchange": {"fx", "foreign exchange"}, "agency": {"agency"}, "precious_metals": {"gold", "precious metals"},
		"treasury": {"treasury"}, "personal_information": {"personal information"}, "debt_collection": {"debt collection"},
		"other_intermediary": {"Other intermediary business"}, "other": {"other"},
	},
	"cause": {
		"service_quality": {"attitude", "service quality"}, "facilities_systems": {"outage", "system failure"},
		"rules_processes": {"rules", "process"}, "marketing": {"marketing"}, "disclosure": {"disclosure"},
		"free_choice": {"free choice"}, "pricing_fees": {"fees", "pricing"}, "product_returns": {"returns"},
		"contract_terms": {"contract"}, "fund_safety": {"fraud"}, "information_security": {"data leak"},
		"collection_methods": {"collection"}, "other": {"other"},
	},
	"complaint_type": {
		"work_error": {"Work error"}, "service_attitude": {"Service attitude"}, "internal_management": {"Internal management"},
		"service_product": {"Service product"}, "service_channel": {"Service channel"}, "irregular_operation": {"Irregular operation"},
	},
	"demand": {
		"refund": {"refund"}, "compensation": {"compensation"}, "apology": {"apology"}, "explanation": {"explanation"},
		"correction": {"correction"}, "stop_harassment": {"stop harassment"}, "expedite": {"expedite"},
		"restore_service": {"restore service"}, "other": {"other"},
	},
	"business_channel": {
		"branch_counter": {"branch", "counter"}, "self_service": {"ATM"}, "online_banking": {"online banking"},
		"phone_banking": {"phone banking"}, "mobile_app": {"mobile app", "mobile"}, "public_platform": {"小程序"},
		"sms": {"SMS"}, "third_party": {"third party"}, "back_office": {"back office"}, "other": {"other"},
	},
	"satisfaction": {"satisfied": {"satisfied"}, "basically_satisfied": {"basically satisfied"}, "dissatisfied": {"dissatisfied"}},
	"status":       {"open": {"open"}, "closed": {"closed"}, "withdrawn": {"withdrawn"}, "not_accepted": {"not accepted"}},
}

// Short business words of the letters' 业务 column.
var lettersCategory = map[string][]string{
	"credit_card": {"信用卡"}, "debit_card": {"借记卡", "储蓄卡"}, "bank_card": {"银行卡"}, "payment_settlement": {"转账", "汇款"},
	"loans": {"贷款", "房贷"}, "wealth_management": {"理财"}, "rmb_savings": {"储蓄", "存款"}, "rmb_cash": {"零钱兑换", "现金"},
	"foreign_exchange": {"外币"}, "agency": {"代理保险"}, "precious_metals": {"黄金"}, "treasury": {"国债"},
	"personal_information": {"征信"}, "debt_collection": {"催收"}, "other_intermediary": {"中间业务"}, "other": {"其他"},
}

// Free-text causes of the letters' 问题类别 column.
var lettersCause = map[string][]string{
	"service_quality": {"态度差", "服务态度不好", "排队时间长", "等候时间长", "服务态度差"}, "facilities_systems": {"设备故障", "系统故障"},
	"rules_processes": {"流程繁琐", "手续繁琐"}, "marketing": {"营销电话", "骚扰营销"}, "disclosure": {"未告知", "告知不清"},
	"free_choice": {"捆绑销售"}, "pricing_fees": {"收费", "乱收费", "手续费"}, "product_returns": {"亏损"},
	"contract_terms": {"格式条款"}, "fund_safety": {"盗刷"}, "information_security": {"信息泄露"},
	"collection_methods": {"催收骚扰"}, "other": {"其他"},
}

var statusSpell = map[string]map[string][]string{ // by source
	"hotline":   {"open": {"处理中"}, "closed": {"已办结"}, "withdrawn": {"撤诉"}, "not_accepted": {"不予受理"}},
	"walk_in":   {"open": {"办理中"}, "closed": {"已办结", "已处理"}, "withdrawn": {"客户撤诉"}, "not_accepted": {"不予受理"}},
	"letters":   {"open": {"处理中", "待处理"}, "closed": {"已回复"}, "withdrawn": {"已撤诉"}, "not_accepted": {"不受理"}},
	"referrals": {"open": {"办理中"}, "closed": {"已办结"}, "withdrawn": {"撤诉"}, "not_accepted": {"不予受理"}},
}

var intakeSpell = map[string][]string{
	"online":              {"mobile app", "mobile app", "手机银行", "web", "网上投诉平台", "官网"},
	"letter":              {"信件", "信件", "来信"},
	"comment_box":         {"意见簿", "意见箱"},
	"regulator_referral":  {"12378", "12378", "监管转送", "金融监管局转送", "人民银行转送"},
	"superior_referral":   {"上级行转办", "总行转办", "分行转办"},
	"government_referral": {"12345", "政府部门转来", "市长热线"},
}

var recordTypeSpell = map[string]string{"complaint": "投诉", "enquiry": "咨询", "suggestion": "建议", "praise": "表扬"}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "欧阳", "司马"}
var givenChars = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "国", "志", "文", "斌", "宇", "欣", "怡", "浩", "然", "婷", "晨", "子", "涵", "博", "思", "雨", "佳", "琪"}

var catWordZH = map[string]string{
	"credit_card": "信用卡", "debit_card": "借记卡", "bank_card": "银行卡", "payment_settlement": "转账", "loans": "贷款",
	"wealth_management": "理财", "rmb_savings": "存款", "rmb_cash": "零钱兑换", "foreign_exchange": "外币兑换",
	"agency": "代理保险", "precious_metals": "积存金", "treasury": "国债", "personal_information": "征信查询",
	"debt_collection": "欠款", "other_intermediary": "代缴费", "other": "账户",
}

// narrativeByCause holds short complaint sentences; %[1]s is the place (branch or electronic channel), %[2]s the
// business word.
var narrativeByCause = map[string][]string{
	"service_quality":      {"柜员态度差，%[2]s等候过久。", "员工办%[2]s时不耐心。"},
	"facilities_systems":   {"%[1]s故障，%[2]s办不了。", "%[1]s无法登录。"},
	"rules_processes":      {"办%[2]s要求材料过多。", "不认可%[2]s业务规则。"},
	"pricing_fees":         {"对%[2]s收费有异议。", "未经同意扣%[2]s手续费。"},
	"marketing":            {"多次接到%[2]s营销电话。", "推销%[2]s存在误导。"},
	"disclosure":           {"办%[2]s未告知费用。", "%[2]s条款告知不清。"},
	"free_choice":          {"办%[2]s被要求捆绑购买。", "%[2]s限制自主选择。"},
	"product_returns":      {"%[2]s收益不及预期。", "所购%[2]s产品亏损。"},
	"contract_terms":       {"对%[2]s合同条款有异议。", "认为%[2]s条款不公平。"},
	"fund_safety":          {"%[2]s账户资金被盗刷。", "%[2]s账户有不明交易。"},
	"information_security": {"怀疑%[2]s信息被泄露。", "办%[2]s后接到诈骗电话。"},
	"collection_methods":   {"%[2]s催收频繁来电。", "催收人员联系其家人。"},
	"other":                {"%[2]s业务有问题。", "对%[2]s业务提意见。"},
}

var narrativeTail = []string{"要求尽快处理。", "多次联系未果。", "称将向监管反映。", "要求书面答复。"}

var summaryByCause = map[string]string{
	"service_quality": "态度差", "facilities_systems": "系统故障", "rules_processes": "流程繁琐",
	"pricing_fees": "收费异议", "marketing": "营销骚扰", "disclosure": "告知不清", "free_choice": "捆绑销售",
	"product_returns": "收益异议", "contract_terms": "条款异议", "fund_safety": "盗刷", "information_security": "信息泄露",
	"collection_methods": "催收不当", "other": "其他问题",
}
