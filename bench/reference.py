"""The references the benchmark measures the app against: hand-written PostgreSQL.

`EXPORT_SQL` selects the columns of activities.csv (activities.exports.activities.ACTIVITY_COLUMNS)
for the rows the export writes, in its order, for `COPY (...) TO STDOUT WITH CSV`:
PostgreSQL writing the same file by itself. It does no formula escaping (the
app's export must), so it is the floor a CSV export can reach. It reads each
multi-valued column (co-brokers, conduits, contacts, organisations, topics,
outcomes) by a subquery per row.

`JOINED_EXPORT_SQL` is the same file by another plan: it selects the rows once
(a materialised CTE of their ids) and aggregates each link table once, grouped by
activity over the selection, then joins those aggregates by hash. It is several
times faster on a large selection; the bench checks that both write the same bytes
and measures the app against the faster.

`report_figures()` computes every figure of the quarterly report in one statement
(GROUPING SETS and conditional aggregates over one scan per table), to compare
with `evaluations.reports.compute_figures`.
"""

import zlib

from activities.codes import Category
from evaluations.reports.figures import hours, hours_adding_up, pounds
from evaluations.reports.project_figures import end_of

_NAME = "COALESCE(NULLIF(TRIM({u}.first_name || ' ' || {u}.last_name), ''), {u}.username)"

EXPORT_SQL = f"""
SELECT a.id, a.date, t.slug, {_NAME.format(u="lu")},
  (SELECT string_agg(n, '; ' ORDER BY n) FROM (
     SELECT {_NAME.format(u="u")} AS n FROM activities_activity_co_brokers cb
     JOIN activities_broker b ON b.id = cb.broker_id JOIN auth_user u ON u.id = b.user_id
     WHERE cb.activity_id = a.id) names),
  a.category, ty.name, a.title, a.description, a.duration_minutes, a.setting, a.direction,
  (SELECT string_agg(c.code, '; ' ORDER BY c.position) FROM activities_activity_conduits ac
     JOIN activities_conduit c ON c.code = ac.conduit_id WHERE ac.activity_id = a.id),
  people.names, people.communities,
  (SELECT string_agg(o.name, '; ' ORDER BY o.name) FROM activities_activity_organisations ao
     JOIN activities_organisation o ON o.id = ao.organisation_id WHERE ao.activity_id = a.id),
  (SELECT string_agg(tp.name, '; ' ORDER BY tp.name) FROM activities_activity_topics at
     JOIN activities_topic tp ON tp.id = at.topic_id WHERE at.activity_id = a.id),
  a.attendees, p.title,
  (SELECT string_agg(o.type, '; ' ORDER BY o.date, o.id) FROM activities_outcome o
     WHERE o.activity_id = a.id),
  a.follow_up_date, {_NAME.format(u="cu")},
  to_char(a.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
  to_char(a.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
FROM activities_activity a
JOIN activities_team t ON t.id = a.team_id
JOIN activities_broker lb ON lb.id = a.lead_broker_id
JOIN auth_user lu ON lu.id = lb.user_id
JOIN activities_activitytype ty ON ty.id = a.activity_type_id
LEFT JOIN activities_project p ON p.id = a.project_id
LEFT JOIN auth_user cu ON cu.id = a.created_by_id
LEFT JOIN LATERAL (
  SELECT string_agg(c.name, '; ' ORDER BY lower(c.name), c.id) AS names,
         string_agg(c.community, '; ' ORDER BY lower(c.name), c.id) AS communities
  FROM activities_activity_contacts ac JOIN activities_contact c ON c.id = ac.contact_id
  WHERE ac.activity_id = a.id) people ON true
WHERE {{where}}
ORDER BY a.date DESC, a.id DESC
"""

# The same rows and columns: each link table aggregated once over the selected rows.
JOINED_EXPORT_SQL = f"""
WITH chosen AS MATERIALIZED (SELECT a.id FROM activities_activity a WHERE {{where}}),
co_brokers AS (
  SELECT activity_id, string_agg(n, '; ' ORDER BY n) AS v FROM (
    SELECT cb.activity_id, {_NAME.format(u="u")} AS n FROM chosen
    JOIN activities_activity_co_brokers cb ON cb.activity_id = chosen.id
    JOIN activities_broker b ON b.id = cb.broker_id JOIN auth_user u ON u.id = b.user_id
  ) names GROUP BY activity_id),
conduits AS (
  SELECT ac.activity_id, string_agg(c.code, '; ' ORDER BY c.position) AS v FROM chosen
  JOIN activities_activity_conduits ac ON ac.activity_id = chosen.id
  JOIN activities_conduit c ON c.code = ac.conduit_id GROUP BY ac.activity_id),
people AS (
  SELECT ac.activity_id,
         string_agg(c.name, '; ' ORDER BY lower(c.name), c.id) AS names,
         string_agg(c.community, '; ' ORDER BY lower(c.name), c.id) AS communities
  FROM chosen JOIN activities_activity_contacts ac ON ac.activity_id = chosen.id
  JOIN activities_contact c ON c.id = ac.contact_id GROUP BY ac.activity_id),
organisations AS (
  SELECT ao.activity_id, string_agg(o.name, '; ' ORDER BY o.name) AS v FROM chosen
  JOIN activities_activity_organisations ao ON ao.activity_id = chosen.id
  JOIN activities_organisation o ON o.id = ao.organisation_id GROUP BY ao.activity_id),
topics AS (
  SELECT at.activity_id, string_agg(tp.name, '; ' ORDER BY tp.name) AS v FROM chosen
  JOIN activities_activity_topics at ON at.activity_id = chosen.id
  JOIN activities_topic tp ON tp.id = at.topic_id GROUP BY at.activity_id),
outcomes AS (
  SELECT o.activity_id, string_agg(o.type, '; ' ORDER BY o.date, o.id) AS v FROM chosen
  JOIN activities_outcome o ON o.activity_id = chosen.id GROUP BY o.activity_id)
SELECT a.id, a.date, t.slug, {_NAME.format(u="lu")}, co_brokers.v,
  a.category, ty.name, a.title, a.description, a.duration_minutes, a.setting, a.direction,
  conduits.v, people.names, people.communities, organisations.v, topics.v,
  a.attendees, p.title, outcomes.v,
  a.follow_up_date, {_NAME.format(u="cu")},
  to_char(a.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
  to_char(a.updated_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
FROM chosen
JOIN activities_activity a ON a.id = chosen.id
JOIN activities_team t ON t.id = a.team_id
JOIN activities_broker lb ON lb.id = a.lead_broker_id
JOIN auth_user lu ON lu.id = lb.user_id
JOIN activities_activitytype ty ON ty.id = a.activity_type_id
LEFT JOIN activities_project p ON p.id = a.project_id
LEFT JOIN auth_user cu ON cu.id = a.created_by_id
LEFT JOIN co_brokers ON co_brokers.activity_id = a.id
LEFT JOIN conduits ON conduits.activity_id = a.id
LEFT JOIN people ON people.activity_id = a.id
LEFT JOIN organisations ON organisations.activity_id = a.id
LEFT JOIN topics ON topics.activity_id = a.id
LEFT JOIN outcomes ON outcomes.activity_id = a.id
ORDER BY a.date DESC, a.id DESC
"""

HEADER = (
    "id,date,team,lead_broker,co_brokers,category,activity_type,title,description,"
    "duration_minutes,setting,direction,conduits,contacts,contact_communities,"
    "organisations,topics,attendees,project,outcomes,follow_up,created_by,created_at,"
    "updated_at"
)


def copy_export(connection, where, params, sql=EXPORT_SQL):
    """COPY the export's rows (`sql`, EXPORT_SQL or JOINED_EXPORT_SQL) to the client, under
    the export's header; (bytes, rows, checksum) read, the checksum a CRC-32 of every
    byte, to tell whether two statements wrote the same file. The session's time zone is
    the installation's, as the app writes its timestamps."""
    from django.conf import settings

    statement = sql.format(where=where)
    # The export's headings, not the statement's column names (which differ between the two).
    head = f"{HEADER}\n".encode()
    size, rows, checksum = len(head), 0, zlib.crc32(head)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SELECT set_config('TimeZone', %s, false)", [settings.TIME_ZONE])
        query = connection.ops.compose_sql(statement, params)
        with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                size += len(block)
                rows += bytes(block).count(b"\n")
                checksum = zlib.crc32(block, checksum)
        raw.execute("SELECT set_config('TimeZone', 'UTC', false)")
    return size, rows, checksum


def _between(column, index):
    return f"{column} BETWEEN %(s{index})s AND %(e{index})s"


def _columns(make, column="a.date", condition="true", name="v"):
    """The three report columns of an aggregate: `make(filter)` for each period."""
    return ", ".join(
        make(f"({_between(column, i)} AND {condition})") + f" AS {name}{i}" for i in range(3)
    )


_EVENT = "activity_type_id IN (SELECT id FROM activities_activitytype WHERE is_event)"


def _count(condition):
    return f"count(*) FILTER (WHERE {condition})"


def _sum(column):
    return lambda condition: f"sum({column}) FILTER (WHERE {condition})"


def _by_end(make, condition):
    """The three columns of the bids submitted in each period that met `condition`, in which
    `{end}` is the period's last day."""
    return ", ".join(
        make(f"({_between('submitted_on', i)} AND {condition.format(end=f'%(e{i})s')})")
        + f" AS v{i}"
        for i in range(3)
    )


_DECIDED = "status IN ('funded', 'completed', 'unsuccessful', 'withdrawn')"
_FUNDED = "status IN ('funded', 'completed') AND decided_on <= {end}"
_OPEN_AT_END = f"NOT ({_DECIDED} AND decided_on IS NOT NULL AND decided_on <= {{end}})"
_FUNDED_QUIETLY = (
    "status IN ('funded', 'completed') AND NOT EXISTS (SELECT 1 FROM activities_outcome x "
    "WHERE x.project_id = p.id AND x.type = 'bid_funded')"
)
_STATUS_AT = (
    "COALESCE((SELECT h.status FROM activities_historicalproject h WHERE h.id = p.id "
    "AND h.history_date < {t} ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1), "
    "CASE WHEN p.created_at < {t} AND NOT EXISTS (SELECT 1 FROM activities_historicalproject h "
    "WHERE h.id = p.id) THEN p.status END)"
)

_UNSUCCESSFUL = "status = 'unsuccessful' AND decided_on <= {end}"
_WITHDRAWN = "status = 'withdrawn' AND decided_on <= {end}"
_REQUESTED, _AWARDED = _sum("amount_requested"), _sum("amount_awarded")
# The bids submitted in each period, by where they stood at its end: (key, aggregate, which).
_BIDS = [
    ("projects.submitted.awarded", _AWARDED, _FUNDED),
    ("projects.bids.funded", _count, _FUNDED),
    ("projects.bids.funded.requested", _REQUESTED, _FUNDED),
    ("projects.bids.funded.awarded", _AWARDED, _FUNDED),
    ("projects.bids.unsuccessful", _count, _UNSUCCESSFUL),
    ("projects.bids.unsuccessful.requested", _REQUESTED, _UNSUCCESSFUL),
    ("projects.bids.withdrawn", _count, _WITHDRAWN),
    ("projects.bids.withdrawn.requested", _REQUESTED, _WITHDRAWN),
    ("projects.bids.open", _count, _OPEN_AT_END),
    ("projects.bids.open.requested", _REQUESTED, _OPEN_AT_END),
]
_BIDS_SQL = "\n".join(
    f"UNION ALL SELECT '{key}', NULL, {_by_end(make, which)}\n"
    "  FROM activities_project WHERE team_id = %(team)s"
    for key, make, which in _BIDS
)

# One statement: a row (section, key, v0, v1, v2) per figure that is not zero.
REPORT_SQL = f"""
WITH a AS (
  SELECT id, date, category, setting, direction, duration_minutes, attendees, lead_broker_id,
    activity_type_id
  FROM activities_activity WHERE team_id = %(team)s AND date BETWEEN %(lo)s AND %(hi)s
),
cube AS (
  SELECT GROUPING(category, setting, direction) AS g, category, setting, direction,
    {_columns(_count)},
    {_columns(_sum("duration_minutes"), name="m")},
    {_columns(_count, condition=_EVENT, name="e")},
    {_columns(_sum("attendees"), condition=_EVENT, name="n")},
    {_columns(_count, condition=f"{_EVENT} AND attendees IS NULL", name="u")}
  FROM a GROUP BY GROUPING SETS ((category), (setting), (direction), ())
),
involved AS (
  SELECT id, date, lead_broker_id AS broker FROM a
  UNION ALL
  SELECT a.id, a.date, cb.broker_id FROM a
  JOIN LATERAL (SELECT broker_id FROM activities_activity_co_brokers
                WHERE activity_id = a.id) cb ON cb.broker_id <> a.lead_broker_id
),
engaged AS (
  SELECT c.id, c.community, a.date FROM a
  JOIN activities_activity_contacts l ON l.activity_id = a.id
  JOIN activities_contact c ON c.id = l.contact_id
),
firsts AS (
  -- A contact's first activity ever is its first in the span unless it had one before.
  SELECT id, community, min(date) AS date FROM engaged e GROUP BY id, community
  HAVING NOT EXISTS (
    SELECT 1 FROM activities_activity_contacts l
    JOIN activities_activity x ON x.id = l.activity_id
    WHERE l.contact_id = e.id AND x.date < %(lo)s)
),
o AS (
  SELECT type, capability_dimension, date FROM activities_outcome
  WHERE team_id = %(team)s AND date BETWEEN %(lo)s AND %(hi)s
),
pipe AS (
  -- Each project's status at the end of each column: its latest history record by then,
  -- its current status when it has none at all but existed by then.
  SELECT {", ".join(_STATUS_AT.format(t=f"%(t{i})s") + f" AS s{i}" for i in range(3))}
  FROM activities_project p WHERE p.team_id = %(team)s
)
SELECT 'activities', category, v0, v1, v2 FROM cube WHERE g = 3
UNION ALL SELECT 'hours', category, m0, m1, m2 FROM cube WHERE g = 3
UNION ALL SELECT 'settings', setting, v0, v1, v2 FROM cube WHERE g = 5
UNION ALL SELECT 'events', setting, e0, e1, e2 FROM cube WHERE g = 5
UNION ALL SELECT 'attendees', setting, n0, n1, n2 FROM cube WHERE g = 5
UNION ALL SELECT 'directions', direction, v0, v1, v2 FROM cube WHERE g = 6
UNION ALL SELECT 'activities.total', NULL, v0, v1, v2 FROM cube WHERE g = 7
UNION ALL SELECT 'hours.total', NULL, m0, m1, m2 FROM cube WHERE g = 7
UNION ALL SELECT 'events.total', NULL, e0, e1, e2 FROM cube WHERE g = 7
UNION ALL SELECT 'attendees.total', NULL, n0, n1, n2 FROM cube WHERE g = 7
UNION ALL SELECT 'attendees.not_recorded', NULL, u0, u1, u2 FROM cube WHERE g = 7
UNION ALL SELECT 'brokers', broker::text, {_columns(_count, "date")}
  FROM involved GROUP BY broker
UNION ALL SELECT 'conduits', COALESCE(ac.conduit_id, 'none'), {_columns(_count)}
  FROM a LEFT JOIN LATERAL (SELECT conduit_id FROM activities_activity_conduits
                            WHERE activity_id = a.id) ac ON true
  GROUP BY ac.conduit_id
UNION ALL SELECT 'contacts', community,
  {_columns(lambda c: f"count(DISTINCT id) FILTER (WHERE {c})", "date")}
  FROM engaged GROUP BY community
UNION ALL SELECT 'new_contacts', community, {_columns(_count, "date")}
  FROM firsts GROUP BY community
UNION ALL SELECT 'projects', NULL,
  {_columns(_count, "submitted_on")}
  FROM activities_project WHERE team_id = %(team)s
UNION ALL SELECT 'projects.requested', NULL,
  {_columns(_sum("amount_requested"), "submitted_on")}
  FROM activities_project WHERE team_id = %(team)s
{_BIDS_SQL}
UNION ALL SELECT 'projects.funded', NULL,
  {_columns(_count, "decided_on", "status IN ('funded', 'completed')")}
  FROM activities_project WHERE team_id = %(team)s
UNION ALL SELECT 'projects.awarded', NULL,
  {_columns(_sum("amount_awarded"), "decided_on", "status IN ('funded', 'completed')")}
  FROM activities_project WHERE team_id = %(team)s
UNION ALL SELECT 'projects.unsuccessful', NULL,
  {_columns(_count, "decided_on", "status = 'unsuccessful'")}
  FROM activities_project WHERE team_id = %(team)s
UNION ALL SELECT 'projects.withdrawn', NULL,
  {_columns(_count, "decided_on", "status = 'withdrawn'")}
  FROM activities_project WHERE team_id = %(team)s
UNION ALL SELECT 'projects.funded_without_outcome', NULL,
  {_columns(_count, "decided_on", _FUNDED_QUIETLY)}
  FROM activities_project p WHERE team_id = %(team)s
UNION ALL SELECT 'pipeline', st,
  count(*) FILTER (WHERE s0 = st), count(*) FILTER (WHERE s1 = st), count(*) FILTER (WHERE s2 = st)
  FROM pipe, unnest(ARRAY['idea', 'developing', 'submitted']) st GROUP BY st
UNION ALL SELECT 'outcomes', type, {_columns(_count, "date")} FROM o GROUP BY type
UNION ALL SELECT 'capability', capability_dimension, {_columns(_count, "date")}
  FROM o WHERE type = 'capability_change' GROUP BY capability_dimension
UNION ALL SELECT 'months', to_char(date, 'YYYY-MM') || ' ' || category, count(*), 0, 0
  FROM a WHERE date BETWEEN %(m)s AND %(e0)s GROUP BY 1, 2
"""


def report_figures(connection, team_id, periods):
    """Every figure of the report as {key: (v0, v1, v2)}, keys as the report's rows name
    them, and the chart's months as {(YYYY-MM, category): count}."""
    columns = periods.columns
    params = {"team": team_id, "m": periods.chart_months[0]}
    for index, period in enumerate(columns):
        params[f"s{index}"], params[f"e{index}"] = period.start, period.end
        params[f"t{index}"] = end_of(period.end)
    params["lo"], params["hi"] = periods.span
    with connection.cursor() as cursor:
        cursor.execute(REPORT_SQL, params)
        rows = cursor.fetchall()
    figures, months, minutes = {}, {}, {}
    for section, key, *values in rows:
        values = tuple(value or 0 for value in values)
        if section == "months":
            month, category = key.split(" ")
            months[(month, category)] = values[0]
            continue
        name = _report_key(section, key)
        if section == "hours":
            minutes[key] = values
            continue
        if section == "hours.total":
            values = tuple(hours(value) for value in values)
        elif section.endswith(("requested", "awarded")):
            values = tuple(pounds(value) for value in values)
        figures[name] = tuple(figures.get(name, (0, 0, 0))[i] + values[i] for i in range(3))
    # The categories' hours add up to the total shown (largest remainder, in the report's
    # order of categories), as the report's do.
    codes = list(Category.values)
    columns = [
        hours_adding_up([minutes.get(code, (0, 0, 0))[index] for code in codes])
        for index in range(3)
    ]
    for position, code in enumerate(codes):
        figures[f"hours.category.{code}"] = tuple(column[position] for column in columns)
    # The report's totals of contacts are the sums over communities.
    for section in ("contacts", "new_contacts"):
        parts = [v for k, v in figures.items() if k.startswith(section + ".")]
        figures[f"{section}.total"] = tuple(sum(p[i] for p in parts) for i in range(3))
    figures["outcomes.total"] = tuple(
        sum(v[i] for k, v in figures.items() if k.startswith("outcomes.")) for i in range(3)
    )
    return figures, months


def _report_key(section, key):
    totals = ("activities.total", "hours.total", "events.total", "attendees.total")
    if section in (*totals, "attendees.not_recorded"):
        return section
    if section.startswith("projects"):
        return "projects.submitted" if section == "projects" else section
    if section in ("activities", "hours"):
        return f"{section}.category.{key}"
    if key == "" and section in ("settings", "events", "attendees", "capability"):
        return f"{section}.blank"
    return f"{section}.{key}"


def app_figures(figures):
    """The app's report as the same {key: values} and months."""
    values = {row.key: tuple(row.values) for _title, row in figures.rows()}
    months = {
        (month.strftime("%Y-%m"), category): count
        for month, counts in figures.months
        for category, count in counts.items()
        if count
    }
    return values, months


def differences(app, hand):
    """Figures that differ between the app's report and the hand-written SQL."""
    keys = set(app) | set(hand)
    some = next(iter(app.values()), None) if app else None
    zero = (0, 0, 0) if isinstance(some, tuple) else 0
    return {
        key: (app.get(key, zero), hand.get(key, zero))
        for key in sorted(keys)
        if app.get(key, zero) != hand.get(key, zero)
    }
