package console

// addTransactionAPI adds the business systems' transaction report to the
// OpenAPI document.
func addTransactionAPI(paths obj) {
	record := props([]string{"number", "item", "stages", "unit", "applicant_kind", "accepted_at", "finished_at"}, obj{
		"number": str("transaction number (办件编号), ≤ 64 characters: the idempotency key"),
		"item":   str("item code"),
		"stages": obj{"type": "array", "items": obj{"type": "string"}, "description": "stage codes of the item"},
		"unit":   str("unit code; the account must be bound to it"),
		"hall":   str("hall code, checked against the workstation"), "workstation": str("workstation code (offline)"),
		"channel":        str("window (default with a workstation), tablet, kiosk; or online: pc, app, wechat, alipay, hotline, sms"),
		"staff":          str("staff code; the workstation's staff member when absent"),
		"applicant_kind": obj{"type": "string", "enum": []string{"person", "organisation"}},
		"accepted_at":    obj{"type": "string", "format": "date-time"},
		"finished_at":    obj{"type": "string", "format": "date-time"},
		"phone":          str("the applicant's phone, for the rating invitation (personal data)"),
	})
	result := props([]string{"number", "status"}, obj{"number": str("as sent"),
		"status": obj{"type": "string", "enum": []string{"created", "unchanged", "error"}},
		"error":  str("why the record was refused"), "field": str("the field at fault")})
	paths["/api/v1/transactions"] = obj{"post": withBody(op("Report finished transactions (办件), 1 to 1,000 a batch, idempotent by number (integration account)",
		answer("one result per record, in order", props(nil, obj{"results": obj{"type": "array", "items": result},
			"created": obj{"type": "integer"}, "unchanged": obj{"type": "integer"}, "errors": obj{"type": "integer"}}))),
		props([]string{"transactions"}, obj{"transactions": obj{"type": "array", "maxItems": 1000, "items": record}}))}
}
