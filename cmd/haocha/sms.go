package main

import (
	"os"

	"github.com/haocha/haocha/internal/sms"
)

// smsGateway is the HTTP SMS gateway the environment configures, or nil
// (the log) when HAOCHA_SMS_URL is unset. Credentials come from the
// environment alone, never from a flag that the process list would show.
func smsGateway() (sms.Sender, error) {
	u := os.Getenv("HAOCHA_SMS_URL")
	if u == "" {
		return nil, nil
	}
	return sms.NewGateway(sms.GatewayConfig{URL: u, Template: os.Getenv("HAOCHA_SMS_TEMPLATE"),
		ContentType: os.Getenv("HAOCHA_SMS_CONTENT_TYPE"), Token: os.Getenv("HAOCHA_SMS_TOKEN")})
}
