package web

import (
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/review"
)

// AppUserAgent is the mark the city's citizen app (随申办) puts in its
// user agent.
const AppUserAgent = "SuiShenBan"

// sources are the channels a link may name with ?src=.
var sources = map[string]review.Channel{"app": review.App, "wechat": review.WeChat, "alipay": review.Alipay}

// onlineChannel tells how an online page was reached: the link's src when
// it names one, else the app the browser says it runs in, else the portal.
// A workstation QR code is always the window channel, whatever app scanned
// it: the review is of the service at that workstation.
func onlineChannel(r *http.Request, src string) review.Channel {
	if ch, ok := sources[src]; ok {
		return ch
	}
	ua := r.UserAgent()
	switch {
	case strings.Contains(ua, "MicroMessenger"):
		return review.WeChat
	case strings.Contains(ua, "AlipayClient"):
		return review.Alipay
	case strings.Contains(ua, AppUserAgent):
		return review.App
	}
	return review.PC
}
