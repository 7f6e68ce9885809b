package console

import (
	"encoding/json"
	"net/http"
	"sort"
)

// The OpenAPI 3 document of the whole API, built from Go values so that it
// stays next to the routes it describes.

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func answer(desc string, schema obj) obj {
	a := obj{"description": desc}
	if schema != nil {
		a["content"] = obj{"application/json": obj{"schema": schema}}
	}
	return a
}

var errorAnswers = obj{
	"400": answer("unreadable request", ref("Error")),
	"401": answer("no valid session or API token", ref("Error")),
	"403": answer("not allowed for this role", ref("Error")),
	"404": answer("no such thing, or not visible to this caller", ref("Error")),
	"409": answer("the order's state does not allow it", ref("Error")),
	"422": answer("a wrong value", ref("Error")),
}

func op(summary string, ok obj, params ...obj) obj {
	rs := obj{"200": ok}
	for k, v := range errorAnswers {
		rs[k] = v
	}
	o := obj{"summary": summary, "responses": rs}
	if len(params) > 0 {
		o["parameters"] = params
	}
	return o
}

func inPath(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": desc, "schema": obj{"type": "string"}}
}

func inQuery(name, desc string) obj {
	return obj{"name": name, "in": "query", "description": desc, "schema": obj{"type": "string"}}
}

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func props(required []string, p obj) obj {
	o := obj{"type": "object", "properties": p}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func openAPIDoc() obj {
	ts := obj{"type": "string", "format": "date-time"}
	orderRef := inPath("ref", "work order id or number")
	public := []obj{}
	paths := obj{
		"/api/v1/reviews": obj{"post": func() obj {
			o := op("Take in a review; a 1–2 star review with a comment or tag opens a work order",
				answer("created", ref("ReviewCreated")))
			o["requestBody"] = jsonBody(ref("ReviewSubmission"))
			o["security"] = public
			rs := o["responses"].(obj)
			delete(rs, "200")
			rs["201"] = answer("created", ref("ReviewCreated"))
			rs["429"] = answer("too many reviews from one device: wait and try again", ref("Error"))
			return o
		}()},
		"/api/v1/stats": obj{"get": withSecurity(op("Statistics of the evaluation index", answer("statistics", ref("Stats")),
			inQuery("district", ""), inQuery("agency", ""), inQuery("unit", ""), inQuery("item", ""), inQuery("stage", ""),
			inQuery("channel", ""), inQuery("hall", ""), inQuery("workstation", ""), inQuery("staff", ""),
			inQuery("from", "first day, 2006-01-02"), inQuery("to", "last day, inclusive")), public)},
		"/api/v1/index": obj{"get": withSecurity(op("The evaluation index of a scope's members, ranked; members under the minimum sample apart (样本不足)", answer("ranking", ref("IndexBoard")),
			inQuery("scope", "district, agency, unit, hall, window, workstation, item, stage, channel or city (staff are not public)"),
			inQuery("from", "first day, 2006-01-02; default 29 days before to"), inQuery("to", "last day, inclusive; default today"),
			inQuery("district", "scope=hall only: rank the halls of this district"),
			inQuery("limit", "members a page, ranked then unranked: 1–5000, default 1000"), inQuery("cursor", "next_cursor of the page before")), public)},
		"/api/v1/indicators": obj{"get": withSecurity(op("One member's index and indicators", answer("indicators", ref("IndexEntry")),
			inQuery("scope", "as for /api/v1/index"), inQuery("code", "the member's code; not needed for city"),
			inQuery("from", "first day, 2006-01-02"), inQuery("to", "last day, inclusive")), public)},
		"/api/v1/units":                  obj{"get": withSecurity(op("Units (districts and agencies)", answer("units, districts first, by code", props(nil, obj{"units": obj{"type": "array", "items": obj{"type": "object"}}, "next_cursor": str("pass as cursor for the next page; empty after the last")})), inQuery("kind", "district or agency"), inQuery("limit", "1–1000, default 1000"), inQuery("cursor", "next_cursor of the page before")), public)},
		"/api/v1/units/{code}":           obj{"get": withSecurity(op("A unit", answer("unit", obj{"type": "object"}), inPath("code", "unit code")), public)},
		"/api/v1/items":                  obj{"get": withSecurity(op("Items of the service catalogue", answer("items by code", props(nil, obj{"items": obj{"type": "array", "items": obj{"type": "object"}}, "next_cursor": str("pass as cursor for the next page; empty after the last")})), inQuery("unit", ""), inQuery("hall", ""), inQuery("q", "search"), inQuery("limit", "1–10000, default 1000"), inQuery("cursor", "next_cursor of the page before")), public)},
		"/api/v1/items/{code}":           obj{"get": withSecurity(op("An item with its stages", answer("item", obj{"type": "object"}), inPath("code", "item code")), public)},
		"/api/v1/workstations/{code}":    obj{"get": withSecurity(op("A workstation with its window, hall and staff", answer("workstation", obj{"type": "object"}), inPath("code", "workstation code")), public)},
		"/api/v1/dimensions":             obj{"get": withSecurity(op("The active dimension set", answer("dimension set", obj{"type": "object"})), public)},
		"/api/v1/me":                     obj{"get": op("The caller's account", answer("account", ref("Me")))},
		"/api/v1/orders":                 obj{"get": op("Work orders the caller may see", answer("orders; the queue most urgent first, other lists newest first", props(nil, obj{"orders": obj{"type": "array", "items": ref("Order")}, "next_cursor": str("the next page's cursor; empty on the last page"), "prev_cursor": str("the previous page's cursor; empty on the first page")})), inQuery("view", "queue (new, overdue, not satisfied, supervised) or open"), inQuery("state", "repeatable"), inQuery("unit", ""), inQuery("overdue", "1"), inQuery("escalated", "1"), inQuery("redispatch", "1"), inQuery("assessment", "1"), inQuery("limit", "1–1000, default 200"), inQuery("cursor", "next_cursor or prev_cursor of an earlier page"))},
		"/api/v1/orders/{ref}":           obj{"get": op("A work order with its review; reading a real-name reviewer's data is recorded in the audit trail", answer("order", ref("Order")), orderRef)},
		"/api/v1/summary":                obj{"get": op("Periodic summary per unit (supervisor, operator)", answer("summary", obj{"type": "object"}), inQuery("from", "2006-01-02"), inQuery("to", "2006-01-02"))},
		"/api/v1/follow/{token}":         obj{"post": withBody(withSecurity(op("The citizen's follow-up through the private token", answer("state after the follow-up", obj{"type": "object"}), inPath("token", "the citizen's private token")), public), props([]string{"satisfied"}, obj{"satisfied": obj{"type": "boolean"}, "reason": str("required when not satisfied")}))},
		"/open311/v2/services.json":      obj{"get": withSecurity(op("Open311 GeoReport v2: the one service, bad reviews", answer("services; the next page's cursor, if any, in the Next-Cursor header and a Link rel=next", obj{"type": "array", "items": obj{"type": "object"}}), inQuery("limit", "1–1000, default 1000"), inQuery("cursor", "Next-Cursor of the page before")), public)},
		"/open311/v2/requests.json":      obj{"get": withSecurity(op("Open311 GeoReport v2: work orders as service requests (no personal data); expected_datetime is the due time", answer("requests, newest first; the neighbouring pages' cursors in the Next-Cursor and Prev-Cursor headers, their addresses in Link (rel next, prev)", obj{"type": "array", "items": ref("Open311Request")}), inQuery("status", "open or closed"), inQuery("limit", "1–1000, default 1000"), inQuery("cursor", "Next-Cursor or Prev-Cursor of an earlier page"), inQuery("service_request_id", "comma-separated numbers"), inQuery("service_code", "")), public)},
		"/open311/v2/requests/{id}.json": obj{"get": withSecurity(op("Open311 GeoReport v2: one work order", answer("a one-element array", obj{"type": "array", "items": ref("Open311Request")}), inPath("id", "work order number")), public)},
		"/healthz":                       obj{"get": withSecurity(op("Health: 200 when the database answers", answer("ok", obj{"type": "object"})), public)},
		"/metrics": obj{"get": withSecurity(obj{"summary": "Prometheus metrics (text exposition format)",
			"responses": obj{"200": obj{"description": "metrics", "content": obj{"text/plain": obj{"schema": obj{"type": "string"}}}}}}, public)},
	}
	paths["/api/v1/reports"] = obj{"get": op("Issued periodic reports (通报), unchangeable, with their SHA-256 (supervisor)", answer("reports", obj{"type": "object"}))}
	paths["/api/v1/reports/{period}/{format}"] = obj{"get": op("An issued report's file as stored (supervisor)", answer("the file", obj{"type": "string", "format": "binary"}),
		inPath("period", "2026-07 or 2026-Q3"), inPath("format", "xlsx, csv or html"))}
	paths["/api/v1/assessment"] = obj{"get": op("Year-end assessment of every district and agency (supervisor); format=xlsx|csv exports it", answer("assessment", obj{"type": "object"}),
		inQuery("year", "2026"), inQuery("format", "xlsx or csv"))}
	actions := map[string]struct {
		summary string
		body    obj
	}{
		"dispatch":          {"Dispatch a new order to a unit (operator); simple: 0–5 working days, complex: 5–15; more than 15 refused", ref("Assignment")},
		"redispatch":        {"Re-dispatch a not-satisfied or supervised order: round n+1 (operator, supervisor)", ref("Assignment")},
		"contact":           {"Record the first contact with the reviewer (unit handler; due within 1 working day)", props(nil, obj{"note": str("")})},
		"reply":             {"Reply: findings, rectification, answer to the citizen (unit handler)", props([]string{"findings", "rectification", "answer"}, obj{"findings": str(""), "rectification": str(""), "answer": str("")})},
		"follow-up":         {"Record a phone follow-up (operator)", props([]string{"satisfied"}, obj{"satisfied": obj{"type": "boolean"}, "reason": str("required when not satisfied")})},
		"escalate":          {"Escalate to the General Office (operator, supervisor)", props([]string{"note"}, obj{"note": str("")})},
		"reassign-request":  {"Ask for reassignment with a reason; orders are never handed back (unit handler)", props([]string{"reason"}, obj{"reason": str("")})},
		"reassign-decision": {"Grant (with a new assignment) or refuse (with a note) a reassignment request (operator)", props([]string{"grant"}, obj{"grant": obj{"type": "boolean"}, "unit": str(""), "complexity": str(""), "days": obj{"type": "integer"}, "note": str("")})},
		"appeal":            {"Appeal the review as mistaken or malicious (unit handler)", props([]string{"ground", "reason"}, obj{"ground": obj{"type": "string", "enum": []string{"mistaken", "malicious"}}, "reason": str("")})},
		"appeal-decision":   {"Uphold (exclude the review from the index, keep it) or reject an appeal (supervisor)", props([]string{"uphold", "note"}, obj{"uphold": obj{"type": "boolean"}, "note": str("")})},
		"assessment":        {"Mark for the year-end assessment (supervisor)", props(nil, obj{"note": str("")})},
	}
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := actions[n]
		paths["/api/v1/orders/{ref}/"+n] = obj{"post": withBody(op(a.summary, answer("the order after the action", ref("Order")), orderRef), a.body)}
	}
	states := []string{"new", "dispatched", "replied", "not_satisfied", "supervised", "closed"}
	doc := obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Haocha API", "version": "1",
			"description": "Government-service good/bad review (政务服务好差评): review intake, statistics, the catalogue, and the 12345 work-order loop. Work-order calls take a session cookie (with X-CSRF-Token on POST) or Authorization: Bearer <API token>."},
		"paths":    paths,
		"security": []obj{{"bearer": []string{}}, {"session": []string{}}},
		"components": obj{
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "an API token made with `haocha user token`"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
			"schemas": obj{
				"Error": props([]string{"error"}, obj{"error": str("a message safe to show"), "field": str("the field at fault")}),
				"ReviewCreated": props([]string{"id", "work_order"}, obj{"id": str(""), "work_order": obj{"type": "string", "nullable": true}, "follow_up": str("the citizen's private link"),
					"follows": str("a later review (追评): the id of the first review it follows")}),
				"ReviewSubmission": props([]string{"channel", "item", "stage", "stars", "anonymous"}, obj{
					"channel": obj{"type": "string", "enum": []string{"window", "tablet", "kiosk", "pc", "app", "wechat", "alipay", "hotline", "sms"}},
					"item":    str(""), "stage": str(""), "unit": str(""), "workstation": str("required for channel window"),
					"stars":      obj{"type": "integer", "minimum": 1, "maximum": 5, "description": "5 = very satisfied"},
					"dimensions": obj{"type": "object", "additionalProperties": obj{"type": "integer"}},
					"tags":       obj{"type": "array", "items": obj{"type": "string", "enum": []string{"attitude", "materials", "multiple_trips", "missed_deadline", "other"}}},
					"comment":    str(""), "anonymous": obj{"type": "boolean"}, "reviewer_kind": obj{"type": "string", "enum": []string{"person", "business"}},
					"name": str("real-name only"), "phone": str("real-name only"), "transaction": str("办件 number"),
					"qr_token":     str("window and tablet: the workstation's QR token (t of its link), the proof of presence"),
					"later_review": obj{"type": "boolean", "description": "a later review (追评) of the first review of this transaction and stage: one, within the rating window after the first; the index counts the latest opinion"},
				}),
				"Stats": obj{"type": "object"},
				"IndexBoard": props(nil, obj{"scope": str(""), "from": str(""), "to": str(""), "definition_version": obj{"type": "integer"},
					"parent":              str("the district whose halls are ranked; absent when every member is"),
					"entries":             obj{"type": "array", "items": ref("IndexEntry"), "description": "this page's ranked members, best first"},
					"insufficient_sample": obj{"type": "array", "items": ref("IndexEntry"), "description": "this page's members under the minimum sample, after every ranked one"},
					"next_cursor":         str("pass as cursor for the next page; empty after the last")}),
				"IndexEntry": props(nil, obj{"code": str(""), "name": str("the Chinese name"), "name_en": str("the English name, where the member has one"), "rank": obj{"type": "integer", "description": "1 = best; absent when not ranked"},
					"index":               obj{"type": "number", "nullable": true, "description": "0–100; null under the minimum sample"},
					"insufficient_sample": obj{"type": "boolean"}, "n": obj{"type": "integer", "description": "reviews in the period"},
					"definition_version": obj{"type": "integer"},
					"s":                  obj{"type": "number"}, "b": obj{"type": "number"}, "r": obj{"type": "number"}, "f": obj{"type": "number"}, "t": obj{"type": "number"},
					"indicators": obj{"type": "object", "description": "average_stars, dimensions, stars, tags, satisfaction_rate, good_rate, bad_rate, active_good_rate, linked, transactions, unrated_rate, participation ({channel: {reviews, rate}}: reviews citizens gave on each channel of the transactions whose rating window closed, and their share), work_orders, on_time_reply_rate, first_contact_on_time_rate, real_name_reply_rate, rectification_rate, follow_up_satisfaction_rate, redispatch_rate, escalations, appeals_upheld, median_days_to_close, undispatched_late; a rate is null when its denominator is 0"}}),
				"Me": props(nil, obj{"name": str(""), "role": obj{"type": "string", "enum": []string{"operator", "handler", "supervisor", "staff", "admin"}}, "unit": str(""), "staff": str(""), "csrf": str("for session callers")}),
				"Assignment": props([]string{"unit", "complexity", "days"}, obj{"unit": str("responsible unit code"),
					"complexity": obj{"type": "string", "enum": []string{"simple", "complex"}},
					"days":       obj{"type": "integer", "minimum": 0, "maximum": 15, "description": "working days; 0 = end of the same working day"},
					"note":       str("")}),
				"Order": props([]string{"id", "number", "state", "round"}, obj{
					"id": obj{"type": "integer"}, "number": str(""), "state": obj{"type": "string", "enum": states},
					"round": obj{"type": "integer"}, "unit": str(""), "complexity": str(""), "days": obj{"type": "integer"},
					"dispatched_at": ts, "contact_due": ts, "contacted_at": ts, "contact_late": obj{"type": "boolean", "description": "no first contact within 1 working day of dispatch, or a late one"}, "due": ts, "due_provisional": obj{"type": "boolean", "description": "the due time falls in a year whose official holiday calendar is not loaded: counted on weekends alone, may move"}, "overdue": obj{"type": "boolean"}, "dispatch_late": obj{"type": "boolean", "description": "not dispatched within 1 working day of creation (the operator's deadline), or first dispatched after it"},
					"reply":      props(nil, obj{"findings": str(""), "rectification": str(""), "answer": str("")}),
					"replied_at": ts, "not_satisfied": obj{"type": "integer"}, "follow_up_note": str(""), "closed_at": ts,
					"escalated": obj{"type": "boolean"}, "supervised_at": ts, "assessment": obj{"type": "boolean"},
					"reassign_request": str(""), "appeal": obj{"type": "object"}, "created_at": ts, "updated_at": ts,
					"review":  obj{"type": "object", "description": "the review; reviewer is the full identity for operators, masked for units and supervisors, absent when anonymous"},
					"actions": obj{"type": "array", "items": obj{"type": "string"}, "description": "what the caller may do now"},
				}),
				"Open311Request": props(nil, obj{"service_request_id": str("work order number"), "status": obj{"type": "string", "enum": []string{"open", "closed"}},
					"status_notes": str(""), "service_name": str(""), "service_code": str(""), "agency_responsible": str(""),
					"requested_datetime": ts, "updated_datetime": ts, "expected_datetime": ts,
					"state": obj{"type": "string", "enum": states}, "round": obj{"type": "integer"}, "overdue": obj{"type": "boolean"}}),
			},
		},
	}
	addAlertAPI(paths, doc["components"].(obj)["schemas"].(obj))
	addTransactionAPI(paths)
	addHandlerAPI(paths, doc["components"].(obj)["schemas"].(obj))
	addSMSAPI(paths)
	return doc
}

func withSecurity(o obj, sec []obj) obj { o["security"] = sec; return o }

func withBody(o obj, schema obj) obj { o["requestBody"] = jsonBody(schema); return o }

var openAPIJSON = func() []byte {
	b, err := json.MarshalIndent(openAPIDoc(), "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}()

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIJSON)
}
