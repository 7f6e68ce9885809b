package console

// addSMSAPI adds the SMS gateway's delivery of citizens' replies to the
// OpenAPI document.
func addSMSAPI(paths obj) {
	paths["/api/v1/sms/inbound"] = obj{"post": withBody(op("A citizen's reply delivered by the SMS gateway (Authorization: Bearer HAOCHA_SMS_INBOUND_TOKEN); TD (退订) stops rating invitations and reminders to the phone",
		answer("whether the reply opted the phone out", props(nil, obj{"opted_out": obj{"type": "boolean"}}))),
		props([]string{"phone", "text"}, obj{"phone": str("the phone the reply came from"), "text": str("the reply, e.g. TD")}))}
}
