"""migrator/sources/dates.py: the readers' one dates module."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from migrator.sources import dates, wxr_items


def test_database_dates_are_the_wxr_readers():
    assert wxr_items.parse_wp_date is dates.parse_wp_date
    assert dates.parse_wp_date("2015-03-01 10:00:00", "2015-03-01 15:30:00").isoformat() == "2015-03-01T10:00:00-05:30"
    assert dates.parse_wp_date("2015-03-01 10:00:00", "1970-01-01 00:00:00") == datetime(2015, 3, 1, 10)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2013-01-11T20:22:19-05:00", datetime(2013, 1, 11, 20, 22, 19, tzinfo=timezone(timedelta(hours=-5)))),
        ("2019-08-02T15:57:41Z", datetime(2019, 8, 2, 15, 57, 41, tzinfo=timezone.utc)),
        ("2019-08-02T15:57:41+0530", datetime(2019, 8, 2, 15, 57, 41, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
        ("2019-08-02T15:57", datetime(2019, 8, 2, 15, 57)),
        ("2019-08-02", date(2019, 8, 2)),
        ("2019-02-30", None),
        ("2019-08-02T15:57:41+25:00", None),
        ("yesterday", None),
    ],
)
def test_machine_dates_keep_exactly_what_they_say(value, expected):
    got = dates.parse_machine_date(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("July 4, 2024", date(2024, 7, 4)),
        ("Posted on 4 July 2024 by Ada", date(2024, 7, 4)),
        ("4. Juli 2024 um 10:12", datetime(2024, 7, 4, 10, 12)),
        ("September 3rd, 2007 at 4:35 pm", datetime(2007, 9, 3, 16, 35)),
        ("12 de diciembre de 2019", date(2019, 12, 12)),
        ("04.07.2024", date(2024, 7, 4)),
        ("Last Updated: November 20, 2023", date(2023, 11, 20)),
        ("Mayday 5, 2020", None),
        ("13:99", None),
    ],
)
def test_dates_people_read_are_days_unless_a_clock_is_shown(value, expected):
    got = dates.parse_human_date(value)
    assert got == expected and type(got) is type(expected)


def test_find_day_says_where_the_day_is_and_resolves_numeric_order():
    found = dates.find_day("Posted on July 4, 2024 by Ada")
    assert found.day == date(2024, 7, 4) and "Posted on July 4, 2024 by Ada"[found.start : found.end] == "July 4, 2024"
    assert dates.find_day("03/04/2015").day == date(2015, 4, 3)
    assert dates.find_day("03/04/2015", order="mdy").day == date(2015, 3, 4)
    assert dates.find_day("13/04/2015", order="mdy").day == date(2015, 4, 13)
    assert dates.find_clock("at 12:05 am") == (0, 5) and dates.find_clock("25:00") is None


def test_permalink_day_and_a_clock_from_a_link_title():
    assert dates.date_from_url("https://x.example/2024/07/04/slug/") == date(2024, 7, 4)
    assert dates.date_from_url("https://x.example/slug/") is None
    assert dates.with_clock(date(2010, 7, 14), "4:35 pm") == datetime(2010, 7, 14, 16, 35)
    assert dates.with_clock(date(2010, 7, 14), "no clock") == date(2010, 7, 14)


@pytest.mark.parametrize(
    "value",
    [
        "Posted on July 4, 2024 at 12:05 am by Ada",
        "4th September 2007 @ 4:35 p.m.",
        "Sept. 3, 2007, 23:10",
        "03/04/2015 - 12:30 PM",
        "13.04.2015",
        "2015-05-26",
        "February 30, 2012",
        "January 7, 2012 at 13:07 pm",
    ],
)
@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_the_text_grammar_reads_days_and_clocks_as_this_module_does(value, order):
    """The text-scrape reader's grammar (every date of a line, with its position) is built on
    this module: the same months, the same day checks, numeric order and clocks."""
    from migrator.sources.text.dates import find_date

    found, day = find_date(value, order), dates.find_day(value, order)
    assert (found.value if found else None) == dates.parse_human_date(value, order)
    assert (found is None) == (day is None)
    if day is not None:
        assert (found.start, found.value.day) == (day.start, day.day.day)


def test_pieces_of_a_date():
    assert dates.month_number("Sept.") == 9 and dates.month_number("Juli") == 7 and dates.month_number("Mayday") is None
    assert dates.valid_day(2012, 2, 30) is None and dates.valid_day(2012, 2, 29) == date(2012, 2, 29)
    assert dates.numeric_day(3, 4, 2015) == date(2015, 4, 3) and dates.numeric_day(3, 4, 2015, "mdy") == date(
        2015, 3, 4
    )
    assert dates.numeric_day(13, 4, 2015, "mdy") == date(2015, 4, 13)
    assert dates.clock_value(12, 5, "a.m.") == (0, 5) and dates.clock_value(12, 5, "PM") == (12, 5)
    assert dates.clock_value(13, 0, "pm") is None and dates.clock_value(24, 0) is None
