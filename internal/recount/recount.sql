{{/*
The evaluation index of one scope over one period, recomputed from the raw
tables (reviews, work_orders, transactions, units, dimensions) in plain SQL
that SQLite and PostgreSQL both run. It reads no rollup and shares no code
with the server's computation: it is the second implementation anyone can
read and run. The placeholders are filled in by recount.go:

  .Member    the scope's member of a review r, NULL for none
  .OrderMember the member a work order o (of review r) counts toward
  .TxnMember the member of a transaction t
  .Start .End the period [Start, End) and .Now, in milliseconds since 1970:
             the instant the board counts as of (its computed_at). Rule:
             what is timed after Now has not happened yet (a review, a
             dispatch, a contact, a reply, a close, an escalation, a
             cause recorded), and what depends on the time takes Now
             (an order due, a dispatch late, a rating window closed), so
             a board is recounted as it stood however late it is checked
  .Calendar  (day, workday) rows: day = days since 1970-01-01 in the city's
             zone (UTC+8), workday 1 or 0, from the official schedule
  .Def       the definition in force (GET /api/v1/index/definition)
  .VerifiedOnly whether the definition counts only verified reviews in
             this scope (the templates "verified" and "weight" below)

The parent every member is shrunk toward is the city: its row has member ''.
Times are milliseconds; a day number is (ms + 28800000) / 86400000; a
working day ends 63000000 ms (17:30) after its midnight.
*/}}
{{define "base"}}
cal(day, workday) AS (VALUES {{.Calendar}}),
-- For each day: working days up to it, and the first working day on or
-- after it and after it.
days0 AS MATERIALIZED (
  SELECT c.day,
         SUM(c.workday) OVER (ORDER BY c.day) AS workdays_to,
         (SELECT MIN(n.day) FROM cal n WHERE n.day >= c.day AND n.workday = 1) AS workday_from,
         (SELECT MIN(n.day) FROM cal n WHERE n.day > c.day AND n.workday = 1) AS workday_after
  FROM cal c
),
-- The dispatch deadline of an order opened on a day: the end of the working
-- day after the working day it was opened in (the next one when opened
-- after 17:30 or on a day off).
days AS MATERIALIZED (
  SELECT d.day, d.workdays_to, a.workday_after AS deadline_in_hours, b.workday_after AS deadline_after_hours
  FROM days0 d JOIN days0 a ON a.day = d.workday_from JOIN days0 b ON b.day = d.workday_after
),
-- Rule: the reviews that count were given in the period and are not held
-- out of the index.
counted AS MATERIALIZED (
  SELECT {{.Member}} AS member, r.*,
         {{template "weight" .}} AS wt
  FROM reviews r
  WHERE r.created_at >= {{.Start}} AND r.created_at < {{.End}} AND r.created_at <= {{.Now}}
    AND r.excluded IS NULL    -- upheld appeal and other exclusions
    AND r.held IS NULL        -- held as suspected fraud
    -- replaced by a later review (追评) given by Now
    AND (r.superseded IS NULL OR r.superseded IN (SELECT l.id FROM reviews l WHERE l.created_at > {{.Now}}))
    {{template "verified" .}}
),
-- An order's cause is the one its history last recorded: the operator's
-- finding (step 'cause', note "cause CODE[: note]") or the supervisor's
-- change on a contest (step 'cause_decision', note "changed to cause
-- CODE: note"). Whether it puts the unit at fault is the list's, held as
-- data (unsatisfied_causes). Read from the history, not the order's
-- columns the server counts from, so a column edited by hand shows as a
-- difference; and only the steps taken by Now.
cause_steps AS (
  SELECT s.work_order, s.id, c.code, c.at_fault
  FROM work_order_steps s JOIN unsatisfied_causes c
    ON (s.action = 'cause' AND (s.note = 'cause ' || c.code OR s.note LIKE 'cause ' || c.code || ': %'))
    OR (s.action = 'cause_decision' AND s.note LIKE 'changed to cause ' || c.code || ': %')
  WHERE s.at <= {{.Now}}
),
order_causes AS (
  SELECT cs.work_order, cs.code, cs.at_fault FROM cause_steps cs
  WHERE cs.id = (SELECT MAX(l.id) FROM cause_steps l WHERE l.work_order = cs.work_order)
),
-- Every work order with its member, its dispatch deadline and its due time.
order_facts AS MATERIALIZED (
  SELECT {{.OrderMember}} AS member, o.*,
         r.anonymous,
         (CASE WHEN r.excluded IS NOT NULL OR r.held IS NOT NULL THEN 1 ELSE 0 END) AS review_held_out,
         (CASE WHEN o.appeal = 'upheld' THEN 1 ELSE 0 END) AS upheld,
         (CASE WHEN (o.created_at + 28800000) % 86400000 <= 63000000 THEN dc.deadline_in_hours ELSE dc.deadline_after_hours END)
           * 86400000 - 28800000 + 63000000 AS dispatch_deadline,
         dc.workdays_to AS created_workdays
  FROM (
    -- An order as it stood at Now: its dispatch (with the due times it
    -- set), contact, reply, close and escalation once they happened.
    SELECT w.id, w.review, w.unit, w.created_at, w.appeal, w.round, w.not_satisfied,
           COALESCE(oc.code, '') AS cause, oc.at_fault AS cause_at_fault,
           CASE WHEN w.first_dispatched_at <= {{.Now}} THEN w.first_dispatched_at END AS first_dispatched_at,
           CASE WHEN w.first_dispatched_at <= {{.Now}} THEN w.due_at END AS due_at,
           CASE WHEN w.first_dispatched_at <= {{.Now}} THEN w.contact_due END AS contact_due,
           CASE WHEN w.contacted_at <= {{.Now}} THEN w.contacted_at END AS contacted_at,
           CASE WHEN w.replied_at <= {{.Now}} THEN w.replied_at END AS replied_at,
           CASE WHEN w.closed_at <= {{.Now}} THEN w.closed_at END AS closed_at,
           CASE WHEN w.supervised_at <= {{.Now}} THEN w.supervised_at END AS supervised_at
    FROM work_orders w LEFT JOIN order_causes oc ON oc.work_order = w.id
  ) o JOIN reviews r ON r.id = o.review
  JOIN days dc ON dc.day = (o.created_at + 28800000) / 86400000
),
-- Rule: an order counts in the period its due time falls in (the dispatch
-- deadline while it has none), once that time has come.
counted_orders AS MATERIALIZED (
  SELECT f.*, cl.workdays_to - f.created_workdays AS days_to_close
  FROM order_facts f LEFT JOIN days cl ON cl.day = (f.closed_at + 28800000) / 86400000
  WHERE COALESCE(f.due_at, f.dispatch_deadline) >= {{.Start}}
    AND COALESCE(f.due_at, f.dispatch_deadline) < {{.End}}
    AND COALESCE(f.due_at, f.dispatch_deadline) <= {{.Now}}
    AND (f.review_held_out = 0 OR f.upheld = 1) -- a fraud hold takes its order out
),
-- Rule: an order closed by an upheld appeal counts only as that.
rated_orders AS (
  SELECT * FROM counted_orders WHERE upheld = 0
  {{template "dispatched" .}}
),
-- Rule: a transaction counts once its rating window closed (by Now),
-- rated when a citizen's review (not a default one) is bound to it.
counted_txns AS MATERIALIZED (
  SELECT {{.TxnMember}} AS member, t.*,
         (CASE WHEN EXISTS (SELECT 1 FROM review_transactions rt JOIN reviews v ON v.id = rt.review
                            WHERE rt.txn = t.number AND v.origin <> 'default') THEN 1 ELSE 0 END) AS rated
  FROM transactions t
  WHERE t.rating_closes_at >= {{.Start}} AND t.rating_closes_at < {{.End}} AND t.rating_closes_at <= {{.Now}}
),
-- Each row once for its member and once for the city (member '').
{{if .City}}
member_reviews AS (SELECT '' AS m, counted.* FROM counted),
member_orders AS (SELECT '' AS m, counted_orders.* FROM counted_orders),
member_rated AS (SELECT '' AS m, rated_orders.* FROM rated_orders),
member_txns AS (SELECT '' AS m, counted_txns.* FROM counted_txns)
{{else}}
member_reviews AS (SELECT member AS m, counted.* FROM counted WHERE member IS NOT NULL
                   UNION ALL SELECT '' AS m, counted.* FROM counted),
member_orders AS (SELECT member AS m, counted_orders.* FROM counted_orders WHERE member IS NOT NULL
                  UNION ALL SELECT '' AS m, counted_orders.* FROM counted_orders),
member_rated AS (SELECT member AS m, rated_orders.* FROM rated_orders WHERE member IS NOT NULL
                 UNION ALL SELECT '' AS m, rated_orders.* FROM rated_orders),
member_txns AS (SELECT member AS m, counted_txns.* FROM counted_txns WHERE member IS NOT NULL
                UNION ALL SELECT '' AS m, counted_txns.* FROM counted_txns)
{{end}}
{{end}}

{{/* Version 3 (issues 16 and 18): the verification levels and orders after dispatch. */}}
{{define "verified"}}{{if .VerifiedOnly}}
    -- Rule (version 3): this scope counts only reviews bound to a service
    -- event; the others count an unverified review at unverified_weight,
    -- and leave it out at 0.
    AND r.verification IN ('transaction', 'presence'){{end}}{{end}}
{{define "weight"}}{{if .Def.UnverifiedWeight}}CASE WHEN r.verification = 'unverified' THEN CAST({{.Def.Weight}} AS DOUBLE PRECISION) ELSE 1 END{{else}}1{{end}}{{end}}
{{define "dispatched"}}{{if .Def.OrdersAfterDispatch}}
  -- Rule (version 3): an order not dispatched yet counts for the centre
  -- alone (undispatched_late), in no member's order figures.
  AND first_dispatched_at IS NOT NULL AND first_dispatched_at <= {{.Now}}{{end}}{{end}}
{{define "weighed_sums"}}SUM(wt) AS mass, SUM(wt * stars) AS weighed_star_sum,
         SUM(CASE WHEN stars <= 2 THEN wt ELSE 0 END) AS weighed_bad,
         SUM(CASE WHEN verification = 'unverified' THEN 1 ELSE 0 END) AS unverified{{end}}

{{define "figures"}}
WITH {{template "base" .}},
review_counts AS (
  SELECT m, COUNT(*) AS n,
         SUM(stars) AS star_sum,
         SUM(CASE WHEN stars <= 2 THEN 1 ELSE 0 END) AS bad,
         SUM(CASE WHEN stars IN ({{.Def.Satisfied}}) THEN 1 ELSE 0 END) AS satisfied,
         SUM(CASE WHEN stars IN ({{.Def.Good}}) THEN 1 ELSE 0 END) AS good,
         SUM(CASE WHEN origin <> 'default' THEN 1 ELSE 0 END) AS given,        -- default reviews (默认好评) apart
         SUM(CASE WHEN origin <> 'default' AND stars IN ({{.Def.Good}}) THEN 1 ELSE 0 END) AS given_good,
         SUM(CASE WHEN origin = 'transaction' THEN 1 ELSE 0 END) AS linked,
         SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END) AS stars1,
         SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END) AS stars2,
         SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END) AS stars3,
         SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END) AS stars4,
         SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END) AS stars5,
         {{template "weighed_sums" .}}
  FROM member_reviews GROUP BY m
),
order_counts AS (
  SELECT m,
         SUM(upheld) AS appeals_upheld,
         -- 超时未派单: the operator dispatched after the deadline, or not yet
         SUM(CASE WHEN first_dispatched_at > dispatch_deadline
                    OR (first_dispatched_at IS NULL AND {{.Now}} > dispatch_deadline) THEN 1 ELSE 0 END) AS undispatched_late
  FROM member_orders GROUP BY m
),
rated_counts AS (
  SELECT m, COUNT(*) AS work_orders,
         -- R. Rule: an order whose unsatisfied answer was found not the unit's
         -- fault (不满意原因审查) counts as rectified.
         SUM(CASE WHEN closed_at IS NOT NULL OR (cause <> '' AND NOT cause_at_fault) THEN 1 ELSE 0 END) AS rectified,
         SUM(CASE WHEN closed_at IS NOT NULL AND not_satisfied = 0 THEN 1 ELSE 0 END) AS satisfied_first, -- F
         SUM(CASE WHEN replied_at IS NOT NULL AND due_at IS NOT NULL AND replied_at <= due_at THEN 1 ELSE 0 END) AS replied_on_time, -- T
         SUM(CASE WHEN contacted_at IS NOT NULL AND contact_due IS NOT NULL AND contacted_at <= contact_due THEN 1 ELSE 0 END) AS contacted_on_time,
         SUM(CASE WHEN anonymous THEN 0 ELSE 1 END) AS real_name,
         SUM(CASE WHEN anonymous THEN 0 WHEN contacted_at IS NOT NULL THEN 1 ELSE 0 END) AS real_name_contacted,
         SUM(CASE WHEN round >= 2 THEN 1 ELSE 0 END) AS redispatched,
         SUM(CASE WHEN supervised_at IS NOT NULL THEN 1 ELSE 0 END) AS escalated
  FROM member_rated GROUP BY m
),
-- 办结用时中位数: the middle closed order's working days, or the mean of the two middle ones.
closed_ranked AS (
  SELECT m, days_to_close,
         ROW_NUMBER() OVER (PARTITION BY m ORDER BY days_to_close) AS k,
         COUNT(*) OVER (PARTITION BY m) AS total
  FROM member_rated WHERE closed_at IS NOT NULL
),
median_days AS (
  SELECT m, AVG(CAST(days_to_close AS DOUBLE PRECISION)) AS median_days_to_close
  FROM closed_ranked WHERE k = (total + 1) / 2 OR k = (total + 2) / 2 GROUP BY m
),
txn_counts AS (
  SELECT m, COUNT(*) AS transactions, SUM(1 - rated) AS unrated
  FROM member_txns GROUP BY m
),
-- The city ('') is always a member: the parent, even of an empty period.
members AS (
  SELECT '' AS m UNION SELECT m FROM review_counts UNION SELECT m FROM order_counts UNION SELECT m FROM txn_counts
  {{if .Listed}}UNION SELECT code FROM units WHERE {{.Listed}}{{end}}
),
figures AS (
  SELECT ms.m,
         COALESCE(rc.n, 0) AS n, COALESCE(rc.star_sum, 0) AS star_sum, COALESCE(rc.bad, 0) AS bad,
         COALESCE(rc.satisfied, 0) AS satisfied, COALESCE(rc.good, 0) AS good,
         COALESCE(rc.given, 0) AS given, COALESCE(rc.given_good, 0) AS given_good, COALESCE(rc.linked, 0) AS linked,
         COALESCE(rc.stars1, 0) AS stars1, COALESCE(rc.stars2, 0) AS stars2, COALESCE(rc.stars3, 0) AS stars3,
         COALESCE(rc.stars4, 0) AS stars4, COALESCE(rc.stars5, 0) AS stars5,
         COALESCE(rc.mass, 0) AS mass, COALESCE(rc.weighed_star_sum, 0) AS weighed_star_sum,
         COALESCE(rc.weighed_bad, 0) AS weighed_bad, COALESCE(rc.unverified, 0) AS unverified,
         COALESCE(oc.appeals_upheld, 0) AS appeals_upheld, COALESCE(oc.undispatched_late, 0) AS undispatched_late,
         COALESCE(ro.work_orders, 0) AS work_orders, COALESCE(ro.rectified, 0) AS rectified,
         COALESCE(ro.satisfied_first, 0) AS satisfied_first, COALESCE(ro.replied_on_time, 0) AS replied_on_time,
         COALESCE(ro.contacted_on_time, 0) AS contacted_on_time, COALESCE(ro.real_name, 0) AS real_name,
         COALESCE(ro.real_name_contacted, 0) AS real_name_contacted, COALESCE(ro.redispatched, 0) AS redispatched,
         COALESCE(ro.escalated, 0) AS escalated, md.median_days_to_close,
         COALESCE(tc.transactions, 0) AS transactions, COALESCE(tc.unrated, 0) AS unrated
  FROM members ms
  LEFT JOIN review_counts rc ON rc.m = ms.m LEFT JOIN order_counts oc ON oc.m = ms.m
  LEFT JOIN rated_counts ro ON ro.m = ms.m LEFT JOIN median_days md ON md.m = ms.m
  LEFT JOIN txn_counts tc ON tc.m = ms.m
),
-- The index's raw parts: S = (average stars − 1) / 4, B = 差评率, and
-- R, F, T the order rates, 1 without orders due. S and B weigh each review
-- (wt, "weight" below): mass is the weighed n, n itself before version 3.
parts AS (
  SELECT f.*,
         CASE WHEN mass = 0 THEN 0 ELSE (CAST(weighed_star_sum AS DOUBLE PRECISION) / mass - 1) / 4 END AS s_raw,
         CASE WHEN mass = 0 THEN 0 ELSE CAST(weighed_bad AS DOUBLE PRECISION) / mass END AS b_raw,
         CASE WHEN work_orders = 0 THEN 1 ELSE CAST(rectified AS DOUBLE PRECISION) / work_orders END AS r_raw,
         CASE WHEN work_orders = 0 THEN 1 ELSE CAST(satisfied_first AS DOUBLE PRECISION) / work_orders END AS f_raw,
         CASE WHEN work_orders = 0 THEN 1 ELSE CAST(replied_on_time AS DOUBLE PRECISION) / work_orders END AS t_raw
  FROM figures f
),
-- Shrunk toward the city: (n·x + prior·city) / (n + prior).
shrunk AS (
  SELECT p.*,
         (p.mass * p.s_raw + {{.Def.Prior}} * c.s_raw) / (p.mass + {{.Def.Prior}}) AS s,
         (p.mass * p.b_raw + {{.Def.Prior}} * c.b_raw) / (p.mass + {{.Def.Prior}}) AS b,
{{if .Def.OrdersToParent}}
         CASE WHEN p.work_orders + {{.Def.OrderPrior}} = 0 THEN c.r_raw
              ELSE (p.work_orders * p.r_raw + {{.Def.OrderPrior}} * c.r_raw) / (p.work_orders + {{.Def.OrderPrior}}) END AS r,
         CASE WHEN p.work_orders + {{.Def.OrderPrior}} = 0 THEN c.f_raw
              ELSE (p.work_orders * p.f_raw + {{.Def.OrderPrior}} * c.f_raw) / (p.work_orders + {{.Def.OrderPrior}}) END AS f,
         CASE WHEN p.work_orders + {{.Def.OrderPrior}} = 0 THEN c.t_raw
              ELSE (p.work_orders * p.t_raw + {{.Def.OrderPrior}} * c.t_raw) / (p.work_orders + {{.Def.OrderPrior}}) END AS t
{{else}}
         p.r_raw AS r, p.f_raw AS f, p.t_raw AS t
{{end}}
  FROM parts p CROSS JOIN (SELECT * FROM parts WHERE m = '') c
)
SELECT {{if .City}}'city'{{else}}m{{end}} AS member, n, stars1, stars2, stars3, stars4, stars5, star_sum, bad, satisfied, good, given, given_good, linked,
       transactions, unrated, work_orders, rectified, satisfied_first, replied_on_time, contacted_on_time,
       real_name, real_name_contacted, redispatched, escalated, appeals_upheld, undispatched_late, median_days_to_close,
       unverified,
       s, b, r, f, t,
       -- I = 100 × (wS·S + wB·(1 − B) + wR·R + wF·F + wT·T), none under the minimum sample
       CASE WHEN mass < {{.Def.MinSample}} THEN NULL
            ELSE 100 * ({{.Def.Weights.Stars}} * s + {{.Def.Weights.NotBad}} * (1 - b) + {{.Def.Weights.Rectification}} * r
                        + {{.Def.Weights.FollowUpSatisfaction}} * f + {{.Def.Weights.OnTimeReply}} * t) END AS idx
FROM shrunk
-- The city is listed once it has reviews, orders or transactions; other members but the parent.
WHERE {{if .City}}m IN (SELECT m FROM review_counts UNION SELECT m FROM order_counts UNION SELECT m FROM txn_counts){{else}}m <> ''{{end}}
{{end}}

{{define "tags"}}
WITH {{template "base" .}},
tag_bits(bit, tag) AS (VALUES {{.Tags}})
SELECT {{if .City}}'city'{{else}}m{{end}}, tag, COUNT(*)
FROM member_reviews JOIN tag_bits ON (member_reviews.tags & tag_bits.bit) <> 0
{{if not .City}}WHERE m <> ''{{end}} GROUP BY m, tag
{{end}}

{{define "dimensions"}}
WITH {{template "base" .}}
SELECT {{if .City}}'city'{{else}}m{{end}}, d.code, COALESCE(SUM(CASE d.position WHEN 1 THEN score1 WHEN 2 THEN score2 WHEN 3 THEN score3
       WHEN 4 THEN score4 WHEN 5 THEN score5 ELSE score6 END), 0), COUNT(CASE d.position WHEN 1 THEN score1 WHEN 2 THEN score2
       WHEN 3 THEN score3 WHEN 4 THEN score4 WHEN 5 THEN score5 ELSE score6 END)
FROM member_reviews JOIN dimensions d ON d.dimension_set = member_reviews.dimension_set
{{if not .City}}WHERE m <> ''{{end}} GROUP BY m, d.code
{{end}}

{{define "participation"}}
WITH {{template "base" .}}
-- Each channel's reviews citizens gave (default reviews apart) of the
-- transactions whose rating window closed in the period.
SELECT {{if .City}}'city'{{else}}m{{end}}, v.channel, COUNT(*)
FROM member_txns JOIN review_transactions rt ON rt.txn = member_txns.number JOIN reviews v ON v.id = rt.review
WHERE v.origin <> 'default' AND v.excluded IS NULL AND v.held IS NULL {{if not .City}}AND m <> ''{{end}}
GROUP BY m, v.channel
{{end}}

{{/*
Issue 18: the cause review of unsatisfied answers and the 12345 centre's
board. Both read an order's history (work_order_steps), not only the
order's own columns the server counts from, so a column edited by hand
shows as a difference.
*/}}
{{define "causes"}}
WITH {{template "base" .}}
-- Per member and cause: the orders counted in the period (as for R) with
-- that cause, and those of them at fault.
SELECT {{if .City}}'city'{{else}}m{{end}}, oc.code, COUNT(*), SUM(CASE WHEN oc.at_fault THEN 1 ELSE 0 END)
FROM member_rated JOIN order_causes oc ON oc.work_order = member_rated.id
{{if not .City}}WHERE m <> ''{{end}} GROUP BY m, oc.code
{{end}}

{{define "centre"}}
WITH {{template "base" .}},
-- The operator's first dispatch, from the order's history: re-dispatches
-- and granted reassignments are later steps of other actions.
first_dispatch AS (
  SELECT work_order, MIN(at) AS at FROM work_order_steps WHERE action = 'dispatch' AND at <= {{.Now}} GROUP BY work_order
),
centre_orders AS (
  SELECT o.*, COALESCE(fd.at, o.first_dispatched_at) AS dispatched_first
  FROM counted_orders o LEFT JOIN first_dispatch fd ON fd.work_order = o.id
)
-- Every order of the city passes through the centre: its one row. An
-- order closed by an upheld appeal counts only as that.
SELECT '12345' AS member,
       COUNT(*) AS orders_counted,
       SUM(upheld) AS appeals_upheld,
       SUM(CASE WHEN upheld = 1 THEN 0 ELSE 1 END) AS work_orders,
       -- 超时未派单: dispatched after the deadline, or not yet at now
       SUM(CASE WHEN upheld = 1 THEN 0
                WHEN dispatched_first > dispatch_deadline OR (dispatched_first IS NULL AND {{.Now}} > dispatch_deadline) THEN 1
                ELSE 0 END) AS undispatched_late,
       SUM(CASE WHEN upheld = 0 AND contacted_at IS NOT NULL AND contact_due IS NOT NULL AND contacted_at <= contact_due THEN 1 ELSE 0 END) AS contacted_on_time,
       SUM(CASE WHEN upheld = 0 AND round >= 2 THEN 1 ELSE 0 END) AS redispatched,
       SUM(CASE WHEN upheld = 0 AND supervised_at IS NOT NULL THEN 1 ELSE 0 END) AS escalated
FROM centre_orders
{{end}}

{{/*
The 12345 operators' own figures (GET /api/v1/operators): each operator
account judged for the steps it took itself in the period, by Now, read
from the orders' history. Every operator account is listed, idle or not.
*/}}
{{define "operators"}}
WITH {{template "base" .}},
op_steps AS (
  SELECT s.account, s.action, s.at, s.work_order, f.created_at, f.dispatch_deadline, f.contact_due, f.contacted_at,
         -- the order's first dispatch: no dispatch step before it
         (CASE WHEN s.action = 'dispatch' AND NOT EXISTS (SELECT 1 FROM work_order_steps e
               WHERE e.work_order = s.work_order AND e.action = 'dispatch' AND e.id < s.id) THEN 1 ELSE 0 END) AS first,
         -- the supervisor changed the order's cause on the unit's contest, by Now
         (CASE WHEN EXISTS (SELECT 1 FROM work_order_steps d WHERE d.work_order = s.work_order
               AND d.action = 'cause_decision' AND d.note LIKE 'changed to cause %' AND d.at <= {{.Now}}) THEN 1 ELSE 0 END) AS changed
  FROM work_order_steps s JOIN order_facts f ON f.id = s.work_order
  WHERE s.action IN ('dispatch', 'redispatch', 'follow_up', 'cause') AND s.actor = 'operator' AND s.account <> ''
    AND s.at >= {{.Start}} AND s.at < {{.End}} AND s.at <= {{.Now}}
),
dispatches AS (
  SELECT account, at, CAST(at - created_at AS DOUBLE PRECISION) / 3600000 AS hours,
         ROW_NUMBER() OVER (PARTITION BY account ORDER BY at - created_at) AS k,
         COUNT(*) OVER (PARTITION BY account) AS total
  FROM op_steps WHERE first = 1
),
-- 派单用时中位数: the middle first dispatch's hours, or the mean of the two middle ones.
median_hours AS (
  SELECT account, AVG(hours) AS median_hours FROM dispatches WHERE k = (total + 1) / 2 OR k = (total + 2) / 2 GROUP BY account
),
counts AS (
  SELECT account,
         SUM(first) AS dispatched,
         SUM(CASE WHEN first = 1 AND at > dispatch_deadline THEN 1 ELSE 0 END) AS dispatched_late,
         SUM(CASE WHEN action = 'redispatch' THEN 1 ELSE 0 END) AS redispatches,
         -- of their first dispatches whose first contact fell due by Now (or was made), those contacted by it
         SUM(CASE WHEN first = 1 AND contact_due IS NOT NULL AND (contact_due <= {{.Now}} OR contacted_at IS NOT NULL) THEN 1 ELSE 0 END) AS contact_due,
         SUM(CASE WHEN first = 1 AND contact_due IS NOT NULL AND contacted_at IS NOT NULL AND contacted_at <= contact_due THEN 1 ELSE 0 END) AS contacted,
         SUM(CASE WHEN action = 'follow_up' THEN 1 ELSE 0 END) AS follow_ups,
         SUM(CASE WHEN action = 'cause' THEN 1 ELSE 0 END) AS causes_reviewed,
         SUM(CASE WHEN action = 'cause' THEN changed ELSE 0 END) AS causes_changed
  FROM op_steps GROUP BY account
)
SELECT u.login, COALESCE(c.dispatched, 0), COALESCE(c.dispatched_late, 0), COALESCE(c.redispatches, 0),
       COALESCE(c.contact_due, 0), COALESCE(c.contacted, 0), COALESCE(c.follow_ups, 0),
       COALESCE(c.causes_reviewed, 0), COALESCE(c.causes_changed, 0), m.median_hours
FROM users u LEFT JOIN counts c ON c.account = u.login LEFT JOIN median_hours m ON m.account = u.login
WHERE u.role = 'operator'
{{end}}
