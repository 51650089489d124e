"""Months counted back from a day, as the demo's plans give their dates."""

import datetime


def month_start(day, months_back):
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_ago(today, months):
    return today - datetime.timedelta(days=round(months * 30.4))
