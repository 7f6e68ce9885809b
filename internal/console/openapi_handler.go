package console

// addHandlerAPI adds the order's history, the contact step and the
// routing rules to the OpenAPI document.
func addHandlerAPI(paths, schemas obj) {
	ts := obj{"type": "string", "format": "date-time"}
	integer := obj{"type": "integer"}
	boolean := obj{"type": "boolean"}
	orderRef := inPath("ref", "work order id or number")
	created := func(o obj, schema obj) obj {
		rs := o["responses"].(obj)
		delete(rs, "200")
		rs["201"] = answer("created", schema)
		return o
	}
	if order, ok := schemas["Order"].(obj); ok {
		order["properties"].(obj)["history"] = obj{"type": "array", "items": ref("Step"),
			"description": "every round's dispatch (unit, due, the operator's note), first contact, reply, follow-up and escalation, oldest first"}
	}
	schemas["Step"] = props([]string{"round", "action", "at"}, obj{
		"round": integer, "action": obj{"type": "string", "enum": []string{"dispatch", "redispatch", "decide_reassign", "contact", "reply", "follow_up", "escalate"}},
		"at": ts, "by": str("the role that did it"), "unit": str("the unit that had the order"), "complexity": str("of a dispatch"),
		"days": integer, "due": ts, "note": str("the operator's dispatch note, the contact or escalation note"),
		"reply":     props(nil, obj{"findings": str(""), "rectification": str(""), "answer": str("")}),
		"satisfied": boolean, "reason": str("the citizen's reason, of a follow-up"),
	})
	schemas["CallRequest"] = props([]string{"id", "work_order"}, obj{
		"id": integer, "work_order": str("number"), "unit": str(""), "note": str("what the operator should say"),
		"requested_at": ts, "done": boolean, "done_at": ts, "reached": boolean,
	})
	schemas["RoutingRule"] = props([]string{"kind", "key", "unit"}, obj{
		"kind": obj{"type": "string", "enum": []string{"item", "hall"}}, "key": str("the item's or the hall's code"),
		"unit": str("the unit the orders go to; a district for a hall"), "updated_at": ts, "updated_by": str(""),
	})
	paths["/api/v1/call-requests"] = obj{"get": op("Calls units asked the 12345 operator to make, oldest first (operator)",
		answer("open call requests", props(nil, obj{"call_requests": obj{"type": "array", "items": ref("CallRequest")}})))}
	paths["/api/v1/orders/{ref}/call-request"] = obj{"post": created(withBody(op("Ask the 12345 operator to call the reviewer (the unit's handler; real-name reviews)",
		nil, orderRef), props(nil, obj{"note": str("")})), ref("CallRequest"))}
	paths["/api/v1/orders/{ref}/call-requests/{id}/done"] = obj{"post": withBody(op("Record the call: reached or not; reached is the first contact (operator)",
		answer("done", props(nil, obj{"done": boolean, "reached": boolean})), orderRef, inPath("id", "call request id")),
		props([]string{"reached"}, obj{"reached": boolean, "note": str("")}))}
	paths["/api/v1/orders/{ref}/call"] = obj{"post": withBody(op("Have the telephone exchange join the handler and the reviewer without showing the number; a placed call is the first contact (the unit's handler). 503 when the exchange refuses",
		answer("placed is false when no exchange is configured", props(nil, obj{"placed": boolean})), orderRef),
		props([]string{"phone"}, obj{"phone": str("the handler's own phone or extension")}))}
	paths["/api/v1/routing-rules"] = obj{
		"get": op("Routing rules (administrator, operator, supervisor)", answer("rules", props(nil, obj{"rules": obj{"type": "array", "items": ref("RoutingRule")}}))),
		"put": withBody(op("Add or replace the rule of an item or a hall (administrator; audited)", answer("the rule", ref("RoutingRule"))), ref("RoutingRule")),
	}
	del := op("Delete a routing rule (administrator; audited)", answer("deleted", nil), inPath("kind", "item or hall"), inPath("key", "the item's or the hall's code"))
	rs := del["responses"].(obj)
	delete(rs, "200")
	rs["204"] = answer("deleted", nil)
	paths["/api/v1/routing-rules/{kind}/{key}"] = obj{"delete": del}
}
