"""US area codes with their main place, and which ones are hard to get (N8).

The catalogue is derived from the phonenumbers geocoding data by :func:`build_catalog` and shipped
as ``resources/area_codes.json`` (loading phonenumbers' geodata takes most of a second, too long for
start-up); a unit test holds the shipped file equal to a fresh build.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources

from thrudesk.services.rows import AreaCodeRow

# N8: busy metros and single-area-code states, where inventory is scarce.
HARD_TO_GET: frozenset[str] = frozenset(
    {
        "206",  # Seattle
        "212",
        "332",
        "646",
        "917",  # New York City
        "202",
        "771",  # Washington DC
        "207",  # Maine
        "406",  # Montana
        "907",  # Alaska
        "302",  # Delaware
        "307",  # Wyoming
        "401",  # Rhode Island
        "603",  # New Hampshire
        "605",  # South Dakota
        "701",  # North Dakota
        "802",  # Vermont
        "808",  # Hawaii
    }
)

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
}
_STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items()}
_STATE_BY_NAME.update({"washington state": "WA", "washington d.c.": "DC", "washington dc": "DC"})


def _split_place(description: str) -> tuple[str, str]:
    """``"Seattle, WA"`` → ("Seattle", "WA"); ``"Maine"`` → ("", "ME")."""
    if ", " in description:
        city, _, state = description.rpartition(", ")
        if state in STATE_NAMES:
            return city, state
    if description.lower().replace(".", "") == "washington dc":
        return "Washington", "DC"
    return "", _STATE_BY_NAME.get(description.lower(), "")


def build_catalog() -> list[dict[str, str | bool]]:
    """Derive the catalogue from phonenumbers' geocoding data (slow: development time only)."""
    import phonenumbers
    from phonenumbers.geodata import GEOCODE_DATA

    cities: dict[str, Counter[str]] = {}
    regions: dict[str, str] = {}
    for prefix, names in GEOCODE_DATA.items():
        if not prefix.startswith("1") or len(prefix) < 4:
            continue
        code = prefix[1:4]
        description = names.get("en", "")
        if not description:
            continue
        if len(prefix) == 4:
            regions[code] = description
        else:
            cities.setdefault(code, Counter())[description] += 1
    catalog: list[dict[str, str | bool]] = []
    for code in sorted(set(regions) | set(cities)):
        number = phonenumbers.parse(f"+1{code}2345678")
        if phonenumbers.region_code_for_number(number) not in ("US", None):
            continue
        city, state = "", ""
        for description, _ in (cities.get(code) or Counter()).most_common():
            city, state = _split_place(description)
            if city:
                break
        if not city:
            city, state = _split_place(regions.get(code, ""))
        if not (city or state):
            continue
        catalog.append(
            {
                "code": code,
                "city": city,
                "state": state,
                "state_name": STATE_NAMES.get(state, ""),
                "hard_to_get": code in HARD_TO_GET,
            }
        )
    return catalog


@cache
def catalog() -> tuple[AreaCodeRow, ...]:
    """Every known US area code, in code order."""
    text = resources.files("thrudesk.resources").joinpath("area_codes.json").read_text("utf-8")
    return tuple(
        AreaCodeRow(
            code=str(entry["code"]),
            city=str(entry["city"]),
            state=str(entry["state"]),
            state_name=str(entry["state_name"]),
            hard_to_get=bool(entry["hard_to_get"]),
        )
        for entry in json.loads(text)
    )


@cache
def _by_code() -> dict[str, AreaCodeRow]:
    return {row.code: row for row in catalog()}


def lookup(code: str) -> AreaCodeRow | None:
    return _by_code().get(code)


def place(code: str) -> str:
    row = lookup(code)
    return row.place if row else ""


def is_hard_to_get(code: str) -> bool:
    return code in HARD_TO_GET


def search(text: str, limit: int | None = None) -> list[AreaCodeRow]:
    """Area codes whose code, city or state (code or name) matches ``text``, best first."""
    needle = text.strip().lower()
    if not needle:
        rows = list(catalog())
        return rows[:limit] if limit else rows
    exact: list[AreaCodeRow] = []
    starts: list[AreaCodeRow] = []
    contains: list[AreaCodeRow] = []
    for row in catalog():
        haystack = (row.code, row.city.lower(), row.state.lower(), row.state_name.lower())
        if needle in (row.code, row.state.lower()):
            exact.append(row)
        elif any(part.startswith(needle) for part in haystack):
            starts.append(row)
        elif any(needle in part for part in haystack):
            contains.append(row)
    found = exact + starts + contains
    return found[:limit] if limit else found


def write_catalog(path: str) -> None:
    """Regenerate the shipped catalogue: ``python -m thrudesk.services.area_codes FILE``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(build_catalog(), handle, indent=0, ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    import sys

    write_catalog(sys.argv[1] if len(sys.argv) > 1 else "resources/area_codes.json")
