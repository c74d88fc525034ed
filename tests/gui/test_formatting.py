"""How the window writes moments: in the time zone asked, with the days and months in English."""

from __future__ import annotations

from datetime import UTC, datetime

from thrudesk.views import formatting

# A Monday: 14:14 UTC is 09:14 in New York (EST) and 06:14 in Los Angeles.
MOMENT = datetime(2026, 3, 2, 14, 14, tzinfo=UTC)


def test_short_date_time_is_in_the_zone_asked() -> None:
    assert formatting.short_date_time(MOMENT, formatting.EASTERN) == "2 Mar 09:14"
    assert formatting.short_date_time(MOMENT, "America/Los_Angeles") == "2 Mar 06:14"


def test_date_time_names_the_day_and_month() -> None:
    assert formatting.date_time(MOMENT, formatting.EASTERN) == "Mon 2 Mar, 09:14"
    assert formatting.date_time(MOMENT, "UTC", year=True) == "Mon 2 Mar 2026, 14:14"


def test_no_moment_is_a_dash() -> None:
    assert formatting.short_date_time(None, "UTC") == "—"
    assert formatting.date_time(None, "UTC") == "—"


def test_clock_time_has_two_digit_hours_and_minutes() -> None:
    early = datetime(2026, 3, 2, 5, 7, tzinfo=UTC)
    assert formatting.clock_time(early, "UTC") == "05:07"


def test_n6_the_timeline_shows_a_dedicated_number_with_its_name() -> None:
    from datetime import UTC, datetime

    from thrudesk.services.rows import EventRow
    from thrudesk.views.campaign_details import describe_event

    def bought(name: str | None) -> EventRow:
        return EventRow(
            id=1,
            at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
            actor_label="Maya Chen",
            kind="number_bought",
            subject_type="phone_number",
            subject_id=7,
            before=None,
            after={"e164": "+14158597729", "area_code": "415", "name": name, "skipped": []},
        )

    assert describe_event(bought("Bay office")) == (
        "Number (415) 859-7729 · Bay office bought in 415"
    )
    assert describe_event(bought(None)) == "Number (415) 859-7729 bought in 415"
