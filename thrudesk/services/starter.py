"""A ready-to-use account: an admin, a Registered brand and Approved use cases.

The demo data, the tester's fixtures and the project's own tests all start from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from thrudesk.models.enums import BrandStatus, Role, UseCaseStatus
from thrudesk.services.container import Services
from thrudesk.services.unit_of_work import Actor


@dataclass(frozen=True)
class StarterAccount:
    actor: Actor
    account_id: int
    admin_id: int
    brand_id: int
    use_case_ids: tuple[int, ...]

    @property
    def use_case_id(self) -> int:
        return self.use_case_ids[0]


def create_starter_account(
    services: Services,
    name: str = "Test Organisation",
    *,
    timezone: str = "America/New_York",
    admin_name: str = "Alex Admin",
    use_cases: tuple[str, ...] = ("Voter Outreach", "Community Events"),
) -> StarterAccount:
    account = services.accounts.create_account(name, timezone=timezone)
    admin = services.accounts.add_user(
        account.id, admin_name, f"{admin_name.split()[0].lower()}@example.org", Role.ADMIN
    )
    brand_id = services.accounts.register_brand(account.id, name, BrandStatus.REGISTERED)
    use_case_ids = tuple(
        services.accounts.add_use_case(account.id, brand_id, use_case, UseCaseStatus.APPROVED)
        for use_case in use_cases
    )
    return StarterAccount(
        actor=Actor(account_id=account.id, user_id=admin.id),
        account_id=account.id,
        admin_id=admin.id,
        brand_id=brand_id,
        use_case_ids=use_case_ids,
    )
