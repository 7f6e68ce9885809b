package console

// addAlertAPI adds the concentration alerts and their rules to the
// OpenAPI document.
func addAlertAPI(paths, schemas obj) {
	ts := obj{"type": "string", "format": "date-time"}
	num := obj{"type": "number"}
	integer := obj{"type": "integer"}
	id := inPath("id", "alert number")
	paths["/api/v1/alerts"] = obj{"get": op("Concentration alerts, open first then newest first (supervisor, operator; a unit handler: its unit's)",
		answer("a page of alerts", props(nil, obj{"alerts": obj{"type": "array", "items": ref("Alert")}, "next_cursor": str("pass as cursor for the next page; empty after the last")})),
		inQuery("state", "open, acknowledged or resolved"), inQuery("unit", "unit code"), inQuery("supervised", "1: only alerts turned into supervision"),
		inQuery("limit", "1–200, default 50"), inQuery("cursor", "next_cursor of the page before"))}
	paths["/api/v1/alerts/{id}"] = obj{"get": op("An alert with its reviews (no reviewer data) and the caller's actions", answer("alert", ref("Alert")), id)}
	for name, summary := range map[string]string{
		"acknowledge": "Acknowledge an open alert (supervisor)",
		"resolve":     "Resolve an alert with a note saying how (supervisor)",
		"supervise":   "Turn the alert into supervision (督办) of the unit, marked for the year-end assessment (supervisor)",
	} {
		paths["/api/v1/alerts/{id}/"+name] = obj{"post": withBody(op(summary, answer("the alert after the action", ref("Alert")), id),
			props(nil, obj{"note": str("required to resolve")}))}
	}
	paths["/api/v1/alert-rules"] = obj{
		"get": op("The concentration rules (administrator, supervisor, operator)", answer("rules", props(nil, obj{"rules": obj{"type": "array", "items": ref("AlertRule")}}))),
		"post": func() obj {
			o := withBody(op("Add a concentration rule (administrator)", answer("created", ref("AlertRule"))), ref("AlertRule"))
			rs := o["responses"].(obj)
			delete(rs, "200")
			rs["201"] = answer("created", ref("AlertRule"))
			return o
		}(),
	}
	paths["/api/v1/alert-rules/{id}"] = obj{"put": withBody(op("Change a rule; absent fields keep their values, the kind cannot change (administrator)",
		answer("the rule", ref("AlertRule")), inPath("id", "rule number")), ref("AlertRule"))}
	schemas["AlertRule"] = props([]string{"kind", "window_days", "threshold"}, obj{
		"id":          integer,
		"kind":        obj{"type": "string", "enum": []string{"unit_item", "workstation", "staff", "unit_bad_rate", "hall_tag"}},
		"window_days": obj{"type": "integer", "minimum": 1, "maximum": 366},
		"threshold":   obj{"type": "number", "description": "bad reviews in the window; for unit_bad_rate a multiple of the city's 差评率"},
		"min_n":       obj{"type": "integer", "minimum": 0, "description": "unit_bad_rate: fewest reviews of the unit in the window"},
		"enabled":     obj{"type": "boolean", "description": "default true"},
	})
	schemas["Alert"] = props([]string{"id", "kind", "state"}, obj{
		"id": integer, "key": str("the finding's key: an alert is raised once"), "rule": integer, "kind": str("the rule's kind"),
		"group":   obj{"type": "array", "items": obj{"type": "string"}, "description": "the codes grouped by"},
		"subject": str("the group in names"), "unit": str(""), "unit_name": str(""), "at": ts,
		"count": integer, "n": integer, "rate": num, "city_rate": num,
		"state":           obj{"type": "string", "enum": []string{"open", "acknowledged", "resolved"}},
		"acknowledged_at": ts, "acknowledged_by": str(""), "resolved_at": ts, "resolved_by": str(""), "note": str("the resolution"),
		"supervised": obj{"type": "boolean"}, "supervised_at": ts, "supervised_by": str(""), "supervision_note": str(""),
		"assessment": obj{"type": "boolean", "description": "marked for the year-end assessment"}, "created_at": ts,
		"reviews": obj{"type": "array", "items": props(nil, obj{"id": integer, "created_at": ts, "channel": str(""), "item": str(""),
			"item_name": str(""), "stage": str(""), "stage_name": str(""), "hall": str(""), "hall_name": str(""), "workstation": str(""),
			"stars": integer, "tags": obj{"type": "array", "items": obj{"type": "string"}}, "comment": str("")})},
		"actions": obj{"type": "array", "items": obj{"type": "string"}, "description": "what the caller may do now"},
	})
}
