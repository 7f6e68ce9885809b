package theme

import "strings"

// Citizens write in traditional characters now and then (a phone set to
// them, a visitor from Hong Kong or Taiwan), in Shanghai dialect (侬, 勿,
// 覅, 伐) and with the slips of a phone keyboard. normalize folds the
// common ones into the plain simplified forms the labelled sets mostly use,
// so that grams, phrases and concepts meet them; the tables are data in
// code because they are small and change with the language, not with the
// General Office's themes.

// simplified maps a traditional character to its simplified form, for the
// characters complaints are made of (service, waiting, documents, money,
// systems, attitude), not a full conversion table.
var simplified = func() map[rune]rune {
	const pairs = "個个們们說说來来這这還还時时間间號号辦办態态費费錢钱麼么沒没讓让問问題题係系統统機机電电話话長长隊队場场證证開开後后為为對对會会樣样與与區区處处窗窗員员務务聽听樣样給给點点發发當当頭头臉脸氣气罵骂兇凶等等網网絡络頁页碼码線线碼码幾几趟趟遍遍級级歡欢變变邊边寫写讀读認认識识請请謝谢誰谁過过進进運运達达帶带緊紧態态聯联繫系難难壞坏錯错準准資资料料證证單单據据複复蓋盖簽签驗验繳缴貴贵收收補补齊齐衛卫廁厕椅椅熱热涼凉冷冷燈灯門门樓楼梯梯車车場场停停醫医戶户籍籍護护駕驾稅税婚婚務务應应該该麗丽讀读為为極极專专業业熟熟練练錄录輸输誤误晚晚慢慢拖拖遲迟週周鐘钟點点嗎吗呢呢啊啊吧吧嗯嗯喂喂聲声響响嚇吓嫌嫌煩烦躁躁囉啰嗦嗦兩两"
	r := []rune(pairs)
	m := make(map[rune]rune, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		if r[i] != r[i+1] {
			m[r[i]] = r[i+1]
		}
	}
	return m
}()

// dialect turns Shanghai dialect and common slips into plain Mandarin. It
// runs on normalized text (no spaces or punctuation, Latin lowered).
var dialect = strings.NewReplacer(
	"覅", "不要", "嘸没", "没有", "呒没", "没有", "没得", "没有", "勿", "不",
	"弗", "不", "侬", "你", "阿拉", "我们", "伊拉", "他们", "晓得", "知道",
	"交关", "很", "老慢", "很慢", "老长", "很长", "老凶", "很凶", "伐", "吗",
	"登陆", "登录", "帐号", "账号", "因该", "应该",
	"米有", "没有", "木有", "没有", "肿么", "怎么", "神马", "什么", "咋", "怎么",
	"啥", "什么", "俺", "我",
)
