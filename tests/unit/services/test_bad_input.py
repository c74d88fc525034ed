"""R3: malformed input is refused with a message an admin understands, and writes nothing.

Each case names the service call and the bad value; the check is the same for all: a typed
refusal whose message is plain words (no Python types or tracebacks), pointing at a field, and a
store left exactly as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.snapshots import Unchanged
from tests.unit.services.helpers import active_on_dedicated, complete_dedicated
from thrudesk.services.accounts import check_batch_size
from thrudesk.services.clock import ManualClock, ScaledClock
from thrudesk.services.container import Services
from thrudesk.services.errors import ThrudeskError
from thrudesk.services.starter import StarterAccount

Call = Callable[[Services, StarterAccount, dict[str, int]], object]

CHICAGO = ZoneInfo("America/Chicago")
JARGON = ("NoneType", "Traceback", "object has no attribute", "invalid literal", "<class")


def _create_number(area_codes: Any = ("415",), name: Any = None, use_case: Any = "ok") -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        use_case_id = account.use_case_id if use_case == "ok" else use_case
        return services.numbers.create_dedicated(account.actor, area_codes, use_case_id, name)

    return call


def _rename(name: Any) -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        return services.numbers.rename(account.actor, ids["number"], name)

    return call


def _create_campaign(title: Any = "Fine", script: Any = "", area_codes: Any = ()) -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        return services.campaigns.create(account.actor, title, script=script, area_codes=area_codes)

    return call


def _followup(title: Any = "Nudge", message: Any = "Hi", expires: Any = "tomorrow") -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        expires_at = services.clock.now() + timedelta(days=1) if expires == "tomorrow" else expires
        return services.campaigns.create_followup(
            account.actor, ids["campaign"], title=title, message=message, expires_at=expires_at
        )

    return call


def _launch(mode: Any, number: Any = "ok") -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        number_id = ids["number"] if number == "ok" else number
        return services.campaigns.launch(account.actor, ids["draft"], mode, number_id)

    return call


def _window(start: Any = None, end: Any = None) -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        if start is not None:
            return services.sending_window.set_start(account.actor, ids["campaign"], start)
        return services.sending_window.set_end(account.actor, ids["campaign"], end)

    return call


def _import(content: bytes) -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "contacts.csv"
            path.write_bytes(content)
            return services.contacts.import_csv(account.actor, ids["draft"], path)

    return call


def _account(name: Any = "New Org", timezone: Any = "America/Chicago") -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        return services.accounts.create_account(name, timezone=timezone)

    return call


def _batch(size: Any) -> Call:
    def call(services: Services, account: StarterAccount, ids: dict[str, int]) -> object:
        return services.accounts.set_default_batch_size(account.actor, size)

    return call


CASES: dict[str, Call] = {
    # add-number dialog: area codes
    "area code empty list": _create_number(area_codes=[]),
    "area code None": _create_number(area_codes=None),
    "area code blank": _create_number(area_codes=["   "]),
    "area code two digits": _create_number(area_codes=["41"]),
    "area code four digits": _create_number(area_codes=["4155"]),
    "area code letters": _create_number(area_codes=["abc"]),
    "area code with dash": _create_number(area_codes=["4-5"]),
    "area code arabic-indic digits": _create_number(area_codes=["٤١٥"]),
    "area code fullwidth digits": _create_number(area_codes=["４１５"]),
    "area code not in the US": _create_number(area_codes=["000"]),
    "area code Canadian": _create_number(area_codes=["416"]),
    "area code as a number": _create_number(area_codes=[415]),
    "area code repeated": _create_number(area_codes=["415", "415"]),
    "four area codes": _create_number(area_codes=["415", "512", "617", "312"]),
    "area code formula": _create_number(area_codes=["=1+2"]),
    "area code control char": _create_number(area_codes=["41\x005"]),
    # add-number dialog: name and use case
    "name blank": _create_number(name="   "),
    "name 65 characters": _create_number(name="n" * 65),
    "name with newline": _create_number(name="Main\nline"),
    "name with NUL": _create_number(name="Main\x00line"),
    "name with bidi override": _create_number(name="Main\u202eline"),
    "name not text": _create_number(name=12345),
    "use case missing": _create_number(use_case=None),
    "use case unknown": _create_number(use_case=99999),
    "use case negative": _create_number(use_case=-1),
    "use case text": _create_number(use_case="Voter Outreach"),
    # rename dialog
    "rename empty": _rename(""),
    "rename spaces": _rename("     "),
    "rename 65": _rename("x" * 65),
    "rename 1000": _rename("x" * 1000),
    "rename tab": _rename("a\tb"),
    "rename escape": _rename("a\x1bb"),
    "rename zero-width joiner only": _rename("\u200d"),
    "rename bytes": _rename(b"Main line"),
    "rename list": _rename(["Main"]),
    # new-campaign dialog
    "title empty": _create_campaign(title=""),
    "title spaces": _create_campaign(title="   "),
    "title 201": _create_campaign(title="t" * 201),
    "title control": _create_campaign(title="Fall\x07drive"),
    "title None": _create_campaign(title=None),
    "title joiner between letters": _create_campaign(title="Fall\u200ddrive"),
    "title joiner after the last emoji": _create_campaign(title="Fall drive 👍\u200d"),
    "title joiner before the first emoji": _create_campaign(title="Fall drive \u200d👍"),
    "title bidi override between emoji": _create_campaign(title="Team 👨\u202e👩"),
    "title bidi override in a joined emoji": _create_campaign(title="Team 👨\u200d\u202e👩"),
    "title bidi isolate": _create_campaign(title="Fall\u2066drive\u2069"),
    "title C1 control": _create_campaign(title="Fall\x85drive"),
    "title tags without a flag": _create_campaign(title="Fall\U000e0067\U000e007f"),
    "title number": _create_campaign(title=2026),
    "script 1601": _create_campaign(script="s" * 1601),
    "script NUL": _create_campaign(script="Hello\x00"),
    "campaign area code letters": _create_campaign(area_codes=["seattle"]),
    "campaign area codes duplicated": _create_campaign(area_codes=["206", "206"]),
    # followup dialog
    "followup title empty": _followup(title=""),
    "followup title 201": _followup(title="f" * 201),
    "followup message empty": _followup(message=""),
    "followup message 1601": _followup(message="m" * 1601),
    "followup expiry past": _followup(expires=datetime(2020, 1, 1, tzinfo=UTC)),
    "followup expiry naive": _followup(expires=datetime(2030, 1, 1)),
    "followup expiry text": _followup(expires="next week"),
    "followup expiry None": _followup(expires=None),
    "followup expiry 31 December 9999": _followup(
        expires=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    ),
    "followup expiry 2100": _followup(expires=datetime(2100, 1, 1, tzinfo=UTC)),
    # sending window (Campaign Details)
    "start date 31 December 9999": _window(start=datetime(9999, 12, 31, 23, 59, tzinfo=CHICAGO)),
    "start date 2100": _window(start=datetime(2100, 1, 1, tzinfo=UTC)),
    "end date 31 December 9999": _window(end=datetime(9999, 12, 31, 23, 59, tzinfo=CHICAGO)),
    "end date 2100": _window(end=datetime(2100, 1, 1, tzinfo=UTC)),
    # launch dialog
    "launch mode unknown": _launch("shared"),
    "launch mode None": _launch(None),
    "launch dedicated without number": _launch("dedicated", number=None),
    "launch dedicated unknown number": _launch("dedicated", number=424242),
    "launch dedicated number as text": _launch("dedicated", number="first"),
    # contacts import: files refused as a whole
    "csv in UTF-16 without a byte-order mark": _import(
        "phone,first_name\n(206) 555-0123,Ana\n".encode("utf-16-le")
    ),
    "csv without a header row, phones in E.164": _import(
        b"+12065550123,Ana,Lopez\n+12065550124,Ben,Okafor\n"
    ),
    # settings
    "account name blank": _account(name=" "),
    "account timezone unknown": _account(timezone="Mars/Olympus_Mons"),
    "account timezone empty": _account(timezone=""),
    "account timezone path": _account(timezone="../../etc/passwd"),
    "batch size zero": _batch(0),
    "batch size 5001": _batch(5001),
    "batch size negative": _batch(-5),
    "batch size text": _batch("300"),
    "batch size float": _batch(2.5),
    "batch size bool": _batch(True),
}


# Emoji sequences are typed text: joiners and variation selectors inside them are not controls.
EMOJI_TITLES = {
    "family": "Family day 👨\u200d👩\u200d👧",
    "technologist": "Volunteers 🧑\u200d💻",
    "technologist, medium skin tone": "Volunteers 👩🏽\u200d💻",
    "red heart": "We ❤\ufe0f our town",
    "heart on fire": "Turnout ❤\ufe0f\u200d🔥",
    "rainbow flag": "Pride 🏳\ufe0f\u200d🌈",
    "woman running": "Race 🏃\u200d♀\ufe0f",
    "text-style heart": "We ❤\ufe0e our town",
    "keycap one": "Vote 1\ufe0f\u20e3",
    "flag of Scotland": "Glasgow 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "ideographic variation": "葛\U000e0100飾区",
}


@pytest.mark.parametrize("title", list(EMOJI_TITLES.values()), ids=list(EMOJI_TITLES))
def test_r3_a_title_with_an_emoji_sequence_is_kept_as_typed(
    thrudesk_services: Services, thrudesk_account: StarterAccount, title: str
) -> None:
    campaign_id = thrudesk_services.campaigns.create(thrudesk_account.actor, title)
    assert thrudesk_services.campaigns.index_row(thrudesk_account.actor, campaign_id).title == title


INVISIBLE_IN_TITLES = [
    case
    for case in CASES
    if case.startswith("title ") and any(w in case for w in ("joiner", "bidi", "C1", "tags"))
]


@pytest.mark.parametrize("case", INVISIBLE_IN_TITLES)
def test_r3_controls_in_a_title_are_refused_even_beside_emoji(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    ids: dict[str, int],
    unchanged: Unchanged,
    case: str,
) -> None:
    with unchanged(), pytest.raises(ThrudeskError) as refused:
        CASES[case](thrudesk_services, thrudesk_account, ids)
    assert refused.value.message == (
        "The title contains invisible control characters; retype it without them."
    )
    assert refused.value.field == "title"


@pytest.fixture
def ids(thrudesk_services: Services, thrudesk_account: StarterAccount) -> dict[str, int]:
    number = complete_dedicated(thrudesk_services, thrudesk_account, "Main line")
    campaign = active_on_dedicated(thrudesk_services, thrudesk_account, number.id)
    draft = thrudesk_services.campaigns.create(thrudesk_account.actor, "Draft to launch")
    return {"number": number.id, "campaign": campaign, "draft": draft}


def test_r3_the_catalogue_has_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", list(CASES))
def test_r3_malformed_input_is_refused_plainly_and_writes_nothing(
    thrudesk_services: Services,
    thrudesk_account: StarterAccount,
    ids: dict[str, int],
    unchanged: Unchanged,
    case: str,
) -> None:
    with unchanged(), pytest.raises(ThrudeskError) as refused:
        CASES[case](thrudesk_services, thrudesk_account, ids)
    message = refused.value.message
    assert message.strip()
    assert message[0].isupper() or message[0] in '“"', message
    assert not any(word in message for word in JARGON), message
    assert refused.value.field, f"{case}: the refusal names no field"


@pytest.mark.parametrize("speed", [0, -1, 0.25, 3601, 1e9])
def test_r3_clock_speeds_out_of_range_are_refused(speed: float) -> None:
    with pytest.raises(ThrudeskError) as refused:
        ScaledClock(speed=speed)
    assert refused.value.field == "speed"


def test_r3_the_clock_refuses_a_jump_into_the_past() -> None:
    clock = ManualClock()
    with pytest.raises(ThrudeskError) as refused:
        clock.jump_to(clock.now() - timedelta(minutes=1))
    assert refused.value.field == "clock"


@pytest.mark.parametrize(
    "kind", [ManualClock, lambda: ScaledClock(paused=True)], ids=["manual", "scaled"]
)
@pytest.mark.parametrize(
    "when", [datetime(9999, 12, 30, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=CHICAGO)]
)
def test_r3_the_clock_refuses_a_jump_past_2099(
    kind: Callable[[], ManualClock | ScaledClock], when: datetime
) -> None:
    clock = kind()
    before = clock.now()
    with pytest.raises(ThrudeskError) as refused:
        clock.jump_to(when)
    assert refused.value.field == "clock"
    assert "31 December 2099" in refused.value.message
    assert clock.now() == before


@pytest.mark.parametrize("size", [1, 300, 5000])
def test_c14_batch_sizes_in_range_are_accepted(size: int) -> None:
    assert check_batch_size(size) == size
