// Package synth writes synthetic telecom NPS survey exports: a 0-10 score, a
// Chinese reason built from varied phrasing (negation, contrast, several
// dimensions per reason) that matches the example lexicon and follows the
// score, and segment columns. It serves the embedded example and `vocmine
// gen`, which benchmarks use at any size. Deterministic: the same options
// write the same bytes. All data is synthetic.
package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

type aspect struct {
	dim      string // the example lexicon's dimension
	pos, neg []string
	weight   float64 // how often respondents bring it up
}

var aspects = []aspect{
	{ // 网络/信号
		dim:    "网络/信号",
		pos:    []string{"信号好", "信号很稳定", "到哪里信号都满格", "信号覆盖广", "山区也有信号", "通话质量好", "信号一直很好"},
		neg:    []string{"信号太差了", "经常没信号", "地下室没信号", "打电话经常掉线", "信号不稳定", "信号时好时坏", "家里信号弱", "高铁上老是没信号", "5G信号差", "信号太差了，经常掉线", "电梯里没信号"},
		weight: 3,
	},
	{ // 网络/网速
		dim:    "网络/网速",
		pos:    []string{"网速快", "5G网速很快", "上网速度快", "下载速度很快", "网速挺快的"},
		neg:    []string{"网速太慢", "网速慢", "上网很卡", "晚上网速特别慢", "看视频老是转圈", "流量用完就限速", "4G网速不如以前了", "网速不快"},
		weight: 2.5,
	},
	{ // 网络/宽带
		dim:    "网络/宽带",
		pos:    []string{"宽带很稳定", "装宽带很快", "宽带网速快", "维修师傅上门很及时"},
		neg:    []string{"宽带经常断网", "宽带报修没人管", "装宽带等了一个星期", "wifi老是断网", "光猫经常坏", "宽带经常断网，报修了三次都没修好"},
		weight: 1,
	},
	{ // 资费
		dim:    "资费",
		pos:    []string{"资费便宜", "价格实惠", "性价比高", "资费合理", "资费不贵", "话费不贵"},
		neg:    []string{"资费太贵", "套餐太贵了", "乱扣费", "价格偏高", "收费不透明", "有点贵", "月租太高了", "每月不明扣费", "资费有点贵"},
		weight: 3,
	},
	{ // 套餐/内容
		dim:    "套餐/内容",
		pos:    []string{"流量多", "套餐划算", "套餐内容不错", "流量卡不错"},
		neg:    []string{"流量不够用", "套餐不合理", "套餐不能改", "不限量套餐也限速"},
		weight: 1.2,
	},
	{ // 套餐/优惠
		dim:    "套餐/优惠",
		pos:    []string{"优惠活动多", "经常送流量", "积分可以换话费", "老用户有优惠"},
		neg:    []string{"老用户没有优惠", "新用户比老用户便宜", "杀熟", "没有优惠"},
		weight: 1.2,
	},
	{ // 服务/客服
		dim:    "服务/客服",
		pos:    []string{"客服很耐心", "客服态度好", "10086客服很专业", "在线客服回复及时"},
		neg:    []string{"客服电话打不通", "10086转人工太难了", "客服解决不了问题", "打客服没人接", "客服态度冷淡", "人工客服太难打通"},
		weight: 2,
	},
	{ // 服务/态度
		dim:    "服务/态度",
		pos:    []string{"服务态度好", "服务很周到", "工作人员很热情", "服务态度很好"},
		neg:    []string{"服务态度差", "工作人员态度冷淡", "服务不好", "态度不够热情"},
		weight: 1.5,
	},
	{ // 服务/营业厅
		dim:    "服务/营业厅",
		pos:    []string{"营业厅服务好", "营业员很热情", "营业厅离家近很方便"},
		neg:    []string{"营业厅排队太久", "营业厅人太多了", "营业员爱答不理"},
		weight: 1,
	},
	{ // 服务/办理
		dim:    "服务/办理",
		pos:    []string{"办理业务很快", "业务办理方便", "问题很快就解决了"},
		neg:    []string{"办业务太麻烦", "携号转网手续繁琐", "销户流程复杂", "投诉了也不解决"},
		weight: 1,
	},
	{ // 渠道/app
		dim:    "渠道/app",
		pos:    []string{"app很方便", "APP查话费很方便", "小程序好用", "手机营业厅很好用"},
		neg:    []string{"app不好用", "APP经常闪退", "手机营业厅界面太复杂"},
		weight: 0.8,
	},
	{ // 品牌
		dim:    "品牌",
		pos:    []string{"大品牌信得过", "老品牌放心", "国企靠谱", "品牌好"},
		neg:    []string{"口碑不好"},
		weight: 0.8,
	},
	{ // 营销
		dim:    "营销",
		pos:    []string{"短信提醒很及时"},
		neg:    []string{"推销电话太多", "垃圾短信多", "天天发营销短信很烦", "强制推销"},
		weight: 0.7,
	},
}

var (
	genericPos     = []string{"挺好的", "满意", "用着习惯了", "一直用的这个号", "方便", "还不错", "非常满意", "没有不满意的地方"}
	genericNeutral = []string{"还行", "一般", "凑合", "还可以吧", "没什么特别的"}
	genericNeg     = []string{"不满意", "太坑了", "垃圾", "很失望"}
	junk           = []string{"无", "没有", "不知道", "没意见", "暂无", "。", "...", "无。"}
	regions        = []string{"华东", "华南", "华北", "华中", "西南", "西北", "东北"}
	levels         = []string{"普通", "银卡", "金卡", "钻石"}
	ages           = []string{"18-24", "25-34", "35-44", "45-54", "55+"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func pickAspect(r *rand.Rand, signalBias float64) int {
	total := 0.0
	for i, a := range aspects {
		total += a.weight
		if i == 0 {
			total += signalBias
		}
	}
	x := r.Float64() * total
	for i, a := range aspects {
		x -= a.weight
		if i == 0 {
			x -= signalBias
		}
		if x < 0 {
			return i
		}
	}
	return len(aspects) - 1
}

// Options shape a generated survey.
type Options struct {
	Rows int
	Seed uint64
	// DupRate is the share of rows whose reason is one of the short answers
	// real surveys repeat verbatim ("无", "还行", "信号太差了"). With 0, every
	// reason is unique (decorated with times, places and durations), and
	// there are no junk or empty answers, which are duplicates by nature.
	DupRate float64
	// Blemishes adds what real exports hold, as the embedded example does:
	// junk and empty reasons, five duplicate ids, five bad scores, a missing id
	// and two test-channel rows.
	Blemishes bool
	// Scale, when set, writes q1 on [low, high] instead of 0-10 (a CSAT 1-5
	// or CES 1-7 survey): the 0-10 score the reason follows, rescaled
	// linearly and rounded.
	Scale []int
	// Gold, when set, receives the labels of the reasons, a CSV of
	// respondent_id,dimension,polarity (the aspect and polarity each phrase
	// was drawn for) that `vocmine lexicon eval --gold` reads.
	Gold io.Writer
}

// Header is the generated file's header row.
var Header = []string{"respondent_id", "q1", "q2_reason", "gender", "age_band", "member_level", "region", "channel"}

// Write writes a CSV survey to w.
func Write(w io.Writer, o Options) error {
	r := rand.New(rand.NewPCG(o.Seed, 11))
	cw := csv.NewWriter(w)
	cw.Write(Header)
	var gold *csv.Writer
	if o.Gold != nil {
		gold = csv.NewWriter(o.Gold)
		gold.Write([]string{"respondent_id", "dimension", "polarity"})
	}
	g := &gen{r: r, o: o, seen: map[string]bool{}}
	var rows [][]string
	emit := func(row []string) error {
		if o.Blemishes {
			rows = append(rows, row) // blemishes edit rows by index
			return nil
		}
		return cw.Write(row)
	}
	for i := 1; i <= o.Rows; i++ {
		region := pick(r, regions)
		level := r.IntN(len(levels))
		// Latent satisfaction: better for higher member levels, worse in the
		// west (coverage), so segments differ.
		mu := 7.3 + 0.45*float64(level)
		signalBias := 0.0
		if region == "西北" || region == "西南" {
			mu -= 1.2
			signalBias = 3
		}
		score := int(mu + r.NormFloat64()*2.4 + 0.5)
		score = max(0, min(10, score))
		shown := score
		if len(o.Scale) == 2 {
			shown = o.Scale[0] + (score*(o.Scale[1]-o.Scale[0])+5)/10
		}
		id := fmt.Sprintf("R%07d", i)
		text, labels := g.reason(score, signalBias)
		for _, l := range labels {
			if gold != nil {
				gold.Write([]string{id, l.Dimension, l.Polarity})
			}
		}
		if err := emit([]string{
			id, fmt.Sprint(shown), text,
			pick(r, []string{"男", "女"}), pick(r, ages), levels[level], region, pick(r, []string{"线上", "线上", "营业厅"}),
		}); err != nil {
			return err
		}
	}
	if o.Blemishes && len(rows) >= 3000 {
		for _, i := range []int{17, 404, 1234, 2500, 2999} {
			rows = append(rows, append([]string{}, rows[i]...)) // duplicate ids
		}
		rows[100][1] = "11"  // out of scale
		rows[200][1] = "十"   // not a number
		rows[300][1] = ""    // missing score
		rows[400][1] = "8.5" // not an integer
		rows[500][0] = ""    // missing id
		rows[600][7] = "测试"  // test rows a filter can drop
		rows[601][7] = "测试"
	}
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if gold != nil {
		gold.Flush()
		if err := gold.Error(); err != nil {
			return err
		}
	}
	return cw.Error()
}

type gen struct {
	r    *rand.Rand
	o    Options
	seen map[string]bool
}

var (
	whens  = []string{"最近", "这个月", "晚上", "周末", "上个月", "今年", "每次", "有时候", "节假日", "早上", "这两年", "过年的时候"}
	wheres = []string{"在家里", "在公司", "地铁上", "老家", "出差时", "小区里", "学校里", "高铁上", "商场里", "医院附近", "郊区", "农村"}
	cities = []string{"北京", "上海", "广州", "深圳", "成都", "重庆", "武汉", "西安", "兰州", "昆明", "贵阳", "南宁", "哈尔滨", "沈阳", "长春", "济南", "郑州", "长沙", "南京", "杭州", "合肥", "福州", "南昌", "太原", "石家庄", "呼和浩特", "银川", "西宁", "乌鲁木齐", "拉萨", "海口", "天津"}
)

// reason returns a reason for a score: a common short answer at DupRate,
// else a new one (unique when DupRate is 0 and no blemishes).
func (g *gen) reason(score int, signalBias float64) (string, []Label) {
	r := g.r
	if g.o.Blemishes {
		return reason(r, score, signalBias)
	}
	if r.Float64() < g.o.DupRate {
		return common(r, score, signalBias)
	}
	for try := 0; ; try++ {
		s, labels := reason(r, score, signalBias)
		if try > 0 || r.IntN(2) == 0 {
			s = g.decorate(s)
		}
		if !g.seen[s] || try > 50 {
			g.seen[s] = true
			return s, labels
		}
	}
}

// decorate adds a time, a place or a duration, as respondents do.
func (g *gen) decorate(s string) string {
	r := g.r
	switch r.IntN(4) {
	case 0:
		return pick(r, whens) + s
	case 1:
		return pick(r, wheres) + s
	case 2:
		return "在" + pick(r, cities) + s
	}
	return fmt.Sprintf("用了%d年了，%s", 1+r.IntN(20), s)
}

// common returns one of the short answers surveys repeat verbatim: junk
// ("无"), a generic verdict ("还行") or one aspect's plain phrase ("网速慢").
func common(r *rand.Rand, score int, signalBias float64) (string, []Label) {
	switch r.IntN(3) {
	case 0:
		return pick(r, junk), nil
	case 1:
		switch {
		case score >= 9:
			return pick(r, genericPos), nil
		case score >= 7:
			return pick(r, genericNeutral), nil
		}
		return pick(r, genericNeg), nil
	}
	a := aspects[pickAspect(r, signalBias)]
	if score <= 6 || score <= 8 && r.IntN(2) == 0 {
		return pick(r, a.neg), []Label{a.label(true)}
	}
	return pick(r, a.pos), []Label{a.label(false)}
}

func reason(r *rand.Rand, score int, signalBias float64) (string, []Label) {
	x := r.Float64()
	switch {
	case x < 0.04:
		return pick(r, junk), nil
	case x < 0.06:
		return "", nil
	case x < 0.16:
		switch {
		case score >= 9:
			return pick(r, genericPos), nil
		case score >= 7:
			return pick(r, genericNeutral), nil
		}
		return pick(r, genericNeg), nil
	}
	// One to three aspects; their polarity follows the score.
	k := 1 + r.IntN(3)
	pNeg := map[bool]float64{true: 0.85, false: 0.1}[score <= 6]
	if score == 7 || score == 8 {
		pNeg = 0.45
	}
	var parts []string
	var negs []bool
	var labels []Label
	seen := map[int]bool{}
	for len(parts) < k {
		a := pickAspect(r, signalBias)
		if seen[a] {
			continue
		}
		seen[a] = true
		neg := r.Float64() < pNeg
		labels = append(labels, aspects[a].label(neg))
		if neg {
			parts = append(parts, pick(r, aspects[a].neg))
		} else {
			parts = append(parts, pick(r, aspects[a].pos))
		}
		negs = append(negs, neg)
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			if negs[i] != negs[i-1] && r.IntN(2) == 0 {
				b.WriteString(pick(r, []string{"，但是", "，不过", "，就是"}))
			} else {
				b.WriteString(pick(r, []string{"，", "，", "。", " ", "；"}))
			}
		}
		b.WriteString(p)
	}
	return b.String(), labels
}

// Label is what a generated reason says of one dimension: the aspect and
// polarity its phrase was drawn for, so that tagging can be measured.
type Label struct {
	Dimension, Polarity string
}

func (a aspect) label(neg bool) Label {
	if neg {
		return Label{a.dim, "negative"}
	}
	return Label{a.dim, "positive"}
}
