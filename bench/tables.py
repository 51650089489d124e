"""The bench's figures as tables: one run's, and the growth between two runs."""

from bench import duplicates as duplicates_bench
from bench import jobs as jobs_bench
from bench.exports import REDACTED_EXPORT_RUNS


def print_table(results):
    print(table(results))


def _mb(megabytes):
    return f"{megabytes:.1f} MB" if megabytes < 10 else f"{megabytes:,.0f} MB"


def _s(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def rows_of(results):
    """(operation, rows, median, reference, ratio, queries, memory) lines of the table."""
    ops, lines = results["operations"], []
    for key, label in (("export_team_year", "team's year"), ("export_installation", "all")):
        op = ops.get(key, {})
        if not op:
            continue
        if "error" in op:
            lines.append((f"CSV export, {label}", "", op["error"], "", "", "", ""))
            continue
        reference = f"COPY {_s(op['copy_seconds'])} ({op['copy_rows_per_second']:,.0f} rows/s)"
        ratio = f"{op['ratio_to_copy']:.2f}× COPY"
        if "joined_copy_seconds" in op:
            reference += (f", pre-aggregated COPY {_s(op['joined_copy_seconds'])} "
                          f"({op['joined_copy_rows_per_second']:,.0f} rows/s)")  # fmt: skip
            ratio = f"{op['ratio_to_floor']:.2f}× the faster COPY ({ratio})"
        lines.append((
            f"CSV export, {label}", f"{op['rows']:,}",
            f"{_s(op['seconds'])} ({op['rows_per_second']:,.0f} rows/s)", reference, ratio, "",
            f"{_mb(op['peak_memory_mb'])} (process {_mb(op.get('peak_rss_mb', 0))})",
        ))  # fmt: skip
        ie = op.get("import_export")
        if not ie:
            continue
        if "error" in ie:
            lines.append((f"  django-import-export, {label}", "", ie["error"][-60:],
                          "", "", "", ""))  # fmt: skip
            continue
        note = f" (extrapolated from {ie['rows_measured']:,})" if ie["extrapolated"] else ""
        lines.append((
            f"  django-import-export, {label}", f"{op['rows']:,}",
            f"{_s(ie['seconds'])}{note}", f"ours {_s(op['seconds'])}",
            f"{ie['ratio_to_ours']:.1f}× ours",
            "", f"{_mb(ie['peak_memory_mb'])} ({ie['memory_ratio_to_ours']:,.0f}× ours)",
        ))  # fmt: skip
    op = ops.get("export_redacted", {})
    if "error" in op:
        lines.append(("CSV export, evaluator", "", op["error"], "", "", "", ""))
    elif op:
        for name, label in REDACTED_EXPORT_RUNS:
            run = op[name]
            reference = ""
            if name == "evaluator_served":
                reference = (f"{op['ratio_to_broker_served']:.2f}× broker's URL, "
                             f"{op['ratio_to_broker_python']:.2f}× broker's writer")  # fmt: skip
            lines.append((f"CSV export, team's year, {label}", f"{op['rows']:,}",
                          f"{_s(run['seconds'])} ({run['rows_per_second']:,} rows/s)", "",
                          reference, "", ""))  # fmt: skip
    op = ops.get("quarterly_report", {})
    if "error" in op:
        lines.append(("Quarterly report", "", op["error"], "", "", "", ""))
    elif op:
        equal = "equal" if op["results_equal"] else f"{len(op['differences'])} DIFFER"
        lines.append((
            f"Quarterly report {op['quarter']}", f"{op['activities_read']:,}",
            _s(op["seconds"]), f"hand SQL {_s(op['hand_sql_seconds'])} ({equal})",
            f"{op['ratio_to_hand_sql']:.2f}× SQL", str(op["queries"]), "",
        ))  # fmt: skip
    op = ops.get("activity_list", {})
    if "error" in op:
        lines.append(("Activity list", "", op["error"], "", "", "", ""))
    elif op:
        for name, label in (("filtered_first", "3 filters + search, first page"),
                            ("filtered_last", "3 filters + search, last page"),
                            ("first", "first page"), ("last", "last page")):  # fmt: skip
            page = op[name]
            reference = f"{op['last_to_first']:.2f}× first" if name == "last" else ""
            lines.append((f"Activity list, {label}", "", _s(page["seconds"]), "", reference,
                          str(page["queries"]), ""))  # fmt: skip
    op = ops.get("api_activities", {})
    if "error" in op:
        lines.append(("API: a team's year of activities", "", op["error"], "", "", "", ""))
    elif op:
        lines.append(("API: a team's year of activities, 1,000 a page", f"{op['rows']:,}",
                      f"{_s(op['seconds'])} ({op['rows_per_second']:,} rows/s)", "",
                      f"{op['queries_at_10_a_page']} queries at 10 a page",
                      str(op["queries_per_page"]), ""))  # fmt: skip
    op = ops.get("log_activity", {})
    if op:
        if "error" in op:
            lines.append(("Log an activity (POST)", "", op["error"], "", "", "", ""))
        else:
            lines.append(("Log an activity (POST)", "1", _s(op["seconds"]), "", "",
                          str(op["queries"]), ""))  # fmt: skip
            if "edit_seconds" in op:
                lines.append(("Edit an activity (POST)", "1", _s(op["edit_seconds"]), "", "",
                              str(op["edit_queries"]), ""))  # fmt: skip
    op = ops.get("contact_duplicates", {})
    if op:
        if "error" in op:
            lines.append(("Possible duplicates page", "", op["error"], "", "", "", ""))
        else:
            lines.append((
                "Possible duplicates page", f"{op['contacts']:,} contacts",
                _s(op["seconds"]), f"finder {_s(op['finder_seconds'])}",
                f"{op['clusters']:,} clusters", str(op["queries"]), "",
            ))  # fmt: skip
    op = ops.get("throughput", {})
    if "error" in op:
        lines.append(("gunicorn ×2, activity list", "", op["error"], "", "", "", ""))
    elif op:
        page, health = op["activity_list"], op["healthz"]
        lines.append((
            "gunicorn ×2, activity list", f"{page['requests']:,} req",
            f"{page['requests_per_second']:.1f} req/s, p50 {page['p50_ms']:.0f} ms, "
            f"p99 {page['p99_ms']:.0f} ms",
            f"/healthz {health['requests_per_second']:.0f} req/s, p50 {health['p50_ms']:.0f} ms, "
            f"p99 {health['p99_ms']:.0f} ms",
            f"{op['ratio_to_healthz']:.3f}× /healthz", "", "",
        ))  # fmt: skip
    lines += duplicates_bench.rows(ops.get("duplicate_finder"))
    lines += jobs_bench.rows(ops.get("jobs"))
    data = results["dataset"]
    if data.get("generation_seconds") is not None:
        lines.append((
            "Generating the dataset", f"{data['activities']:,}",
            _s(data["generation_seconds"]), "", "", "", "",
        ))  # fmt: skip
    return lines


def table(results):
    data = results["dataset"]
    head = (
        f"KM Tracker bench: {data['activities']:,} activities, "
        f"{data['activity_contact_links']:,} activity–contact links, {data['contacts']:,} "
        f"contacts, {data['outcomes']:,} outcomes, {data['projects']:,} projects; largest team "
        f"{data['largest_team']} ({data['largest_team_activities']:,} activities). "
        f"Median of {results['repeat']}."
    )
    columns = ("Operation", "Rows", "Median", "Reference", "Ratio", "Queries", "Peak memory")
    lines = [columns, *rows_of(results)]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(columns))]
    out = [head, ""]
    for n, line in enumerate(lines):
        cells = zip(line, widths, strict=True)
        out.append("  ".join(str(cell).ljust(width) for cell, width in cells))
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _dig(results, path):
    value = results["operations"]
    for key in path:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, int | float) else None


GROWTH_FIGURES = [
    ("CSV export, team's year", ("export_team_year", "seconds"), ("export_team_year", "rows")),
    ("  COPY of the same", ("export_team_year", "copy_seconds"), ("export_team_year", "rows")),
    ("CSV export, all", ("export_installation", "seconds"), ("export_installation", "rows")),
    ("  COPY of the same", ("export_installation", "copy_seconds"),
     ("export_installation", "rows")),
    ("  peak memory, all", ("export_installation", "peak_memory_mb"),
     ("export_installation", "rows")),
    ("Quarterly report", ("quarterly_report", "seconds"),
     ("quarterly_report", "activities_read")),
    ("  its queries", ("quarterly_report", "queries"), ("quarterly_report", "activities_read")),
    ("Activity list, filtered, first page", ("activity_list", "filtered_first", "seconds"), None),
    ("Activity list, filtered, last page", ("activity_list", "filtered_last", "seconds"), None),
    ("Activity list, first page", ("activity_list", "first", "seconds"), None),
    ("Activity list, last page", ("activity_list", "last", "seconds"), None),
    ("  its queries", ("activity_list", "last", "queries"), None),
    ("Log an activity", ("log_activity", "seconds"), None),
    ("Edit an activity", ("log_activity", "edit_seconds"), None),
    ("gunicorn: activity list req/s", ("throughput", "activity_list", "requests_per_second"),
     None),
]  # fmt: skip


def growth_lines(small, large):
    lines = []
    for label, figure, rows in GROWTH_FIGURES:
        a, b = _dig(small, figure), _dig(large, figure)
        ra, rb = (_dig(small, rows), _dig(large, rows)) if rows else (None, None)
        lines.append({
            "figure": label, "small": a, "large": b,
            "growth": b / a if a and b is not None else None,
            "rows_small": ra, "rows_large": rb,
            "rows_growth": rb / ra if ra and rb is not None else None,
        })  # fmt: skip
    gen_a = small["dataset"].get("generation_seconds")
    gen_b = large["dataset"].get("generation_seconds")
    lines.append({
        "figure": "Generating the dataset", "small": gen_a, "large": gen_b,
        "growth": gen_b / gen_a if gen_a and gen_b else None,
        "rows_small": small["dataset"]["activities"], "rows_large": large["dataset"]["activities"],
        "rows_growth": large["dataset"]["activities"] / small["dataset"]["activities"],
    })  # fmt: skip
    return lines


def growth_table(lines, sizes):
    def cell(value, digits=3):
        return "" if value is None else f"{value:,.{digits}g}"

    header = ("Figure", f"at {sizes[0]:,}", f"at {sizes[1]:,}", "grew", "rows grew")
    rows = [header] + [
        (line["figure"], cell(line["small"]), cell(line["large"]),
         f"{line['growth']:.2f}×" if line["growth"] else "",
         f"{line['rows_growth']:.2f}×" if line["rows_growth"] else "(same page)")
        for line in lines
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = [
        f"Growth from {sizes[0]:,} to {sizes[1]:,} activities (times in seconds, memory in MB):",
        "",
    ]
    for n, row in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
