import datetime

import pytest

from kmtracker.lib.quarters import Quarter, quarters_between


def test_it_puts_31_march_and_1_april_in_different_nhs_years():
    march = Quarter.containing(datetime.date(2025, 3, 31))
    april = Quarter.containing(datetime.date(2025, 4, 1))
    assert (march.start_year, march.number) == (2024, 4)
    assert (april.start_year, april.number) == (2025, 1)
    assert april.previous() == march


def test_it_labels_an_nhs_quarter():
    quarter = Quarter(2025, 1)
    assert quarter.label == "2025/26 Q1 (Apr–Jun 2025)"
    assert quarter.slug == "2025-q1"
    assert (quarter.start, quarter.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def test_q4_of_an_nhs_year_ends_in_march_of_the_next_calendar_year():
    quarter = Quarter(2025, 4)
    assert (quarter.start, quarter.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert quarter.label == "2025/26 Q4 (Jan–Mar 2026)"
    assert quarter.next() == Quarter(2026, 1)


def test_it_gives_calendar_quarters_when_the_year_starts_in_january():
    quarter = Quarter.containing(datetime.date(2025, 11, 5), start_month=1)
    assert (quarter.start_year, quarter.number) == (2025, 4)
    assert quarter.label == "2025 Q4 (Oct–Dec 2025)"
    assert quarter.year_start == datetime.date(2025, 1, 1)


def test_it_reads_a_slug_and_refuses_nonsense():
    assert Quarter.from_slug("2024-q3") == Quarter(2024, 3)
    for bad in ("2024-q5", "2024q1", "", "q1-2024", "2024-q1-m13", "2024-q1-m0"):
        with pytest.raises(ValueError):
            Quarter.from_slug(bad)


def test_a_quarter_of_an_earlier_year_start_names_its_month_in_the_slug():
    """After a team's year moved from April to January, its old quarters keep their dates."""
    old = Quarter.from_slug("2025-q1-m4", start_month=1)

    assert (old.start, old.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert old.slug == "2025-q1-m4"
    assert old == Quarter(2025, 1, 4)
    assert (old.previous().slug, old.next().slug) == ("2024-q4-m4", "2025-q2-m4")
    # In the team's own year the month is not named, whether the slug names it or not.
    assert Quarter.from_slug("2025-q1-m1", start_month=1).slug == "2025-q1"
    assert Quarter(2025, 1, 4).seen_from(4).slug == "2025-q1"


def test_it_lists_the_quarters_between_two_days():
    quarters = quarters_between(datetime.date(2025, 3, 1), datetime.date(2025, 7, 1))
    assert [q.slug for q in quarters] == ["2024-q4", "2025-q1", "2025-q2"]
