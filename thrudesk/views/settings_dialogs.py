"""Settings: the sending simulation's parameters (M2) and the account's own settings (C5, C14)."""

from __future__ import annotations

from dataclasses import asdict
from typing import NamedTuple

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QCheckBox, QLineEdit, QSizePolicy, QWidget

from thrudesk.services.accounts import BATCH_SIZE_MAX, BATCH_SIZE_MIN, check_batch_size
from thrudesk.services.container import Services
from thrudesk.services.errors import InvalidInput
from thrudesk.services.rows import AccountRow
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting
from thrudesk.views.form_dialog import FormDialog
from thrudesk.views.inputs import batch_size_from_text
from thrudesk.views.widgets import open_at_width


class Parameter(NamedTuple):
    """How one sending parameter is edited: its caption, input range and what it means."""

    name: str
    caption: str
    low: float
    high: float
    hint: str


# The ranges are the inputs'; the rules (rates 0 to 1, replies and opt-outs at most 1 together)
# are messaging.check_parameters', which refuses beside the field it names.
PARAMETERS = (
    Parameter(
        "delivery_rate_complete",
        "Delivered, complete number",
        0,
        1,
        "Share of messages delivered from a Provisioning Complete number.",
    ),
    Parameter(
        "delivery_rate_provisioning",
        "Delivered, still provisioning",
        0,
        1,
        "Share delivered from a number still provisioning (C5); such messages are at risk.",
    ),
    Parameter(
        "surcharge_cents",
        "Surcharge",
        0,
        1000,
        "Cents added to each message sent before the number is Provisioning Complete.",
    ),
    Parameter(
        "reply_rate",
        "Replies",
        0,
        1,
        "Chance that a delivered contact replies (other than an opt-out).",
    ),
    Parameter(
        "opt_out_rate",
        "Opt-outs",
        0,
        1,
        "Chance that a delivered contact replies STOP or another opt-out keyword (M3).",
    ),
    Parameter(
        "messages_per_sender_hour",
        "Sender pace",
        0,
        5000,
        "Initial messages a simulated sender sends an hour; 0: only when told.",
    ),
    Parameter(
        "activity_minutes",
        "Activity every",
        1,
        60,
        "Minutes between two turns of the simulated senders and contacts.",
    ),
    Parameter(
        "simulated_senders",
        "Senders joining by link",
        0,
        50,
        "Senders who join a campaign through its invite link by themselves; 0: none.",
    ),
)


class SendingParametersDialog(FormDialog):
    """M2: the simulation's delivery rates, surcharge, reply and opt-out rates and pace.

    Signals:
        parameters_saved(): the new parameters are in force.
    """

    parameters_saved = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Sending parameters", "sending_parameters_dialog", "Save", parent)
        self._services = services
        self._actor = actor
        self._current = asdict(services.messaging.parameters())
        self.set_intro(
            "How the simulated senders and contacts behave. These are simulation choices, not "
            "carrier facts; every campaign uses them from its next tick of activity."
        )
        self.inputs: dict[str, QLineEdit] = {}
        for parameter in PARAMETERS:
            value = self._current[parameter.name]
            edit = QLineEdit(f"{value:g}" if isinstance(value, float) else str(value))
            edit.setObjectName(f"{parameter.name}_edit")
            edit.setToolTip(parameter.hint)
            validator: QDoubleValidator | QIntValidator
            if isinstance(value, float):
                validator = QDoubleValidator(parameter.low, parameter.high, 3, edit)
                validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            else:
                validator = QIntValidator(int(parameter.low), int(parameter.high), edit)
            # Decimals are written with a point whatever the desktop's language: 0.97.
            validator.setLocale(QLocale.c())
            edit.setValidator(validator)
            self.inputs[parameter.name] = edit
            self.add_field(parameter.caption, edit, parameter.name, hint=parameter.hint)
        open_at_width(self, 600)

    def values(self) -> dict[str, float]:
        """What the fields say, as numbers; a field that is not one is refused beside it."""
        values: dict[str, float] = {}
        for parameter in PARAMETERS:
            text = self.inputs[parameter.name].text().strip()
            whole = not isinstance(self._current[parameter.name], float)
            try:
                values[parameter.name] = int(text) if whole else float(text)
            except ValueError:
                example = "300" if whole else "0.97"
                raise InvalidInput(
                    f"Enter a number from {parameter.low:g} to {parameter.high:g}, such as "
                    f"{example}.",
                    field=parameter.name,
                ) from None
        return values

    def submit(self) -> None:
        changes = {
            name: value for name, value in self.values().items() if value != self._current[name]
        }
        if changes:
            self._services.messaging.set_parameters(self._actor, **changes)
        self.parameters_saved.emit()


class AccountSettingsDialog(FormDialog):
    """The account's settings: provisioning-based launching (C4, C5) and the default batch size
    of Self Assign (C14).

    Signals:
        settings_saved(AccountRow): the account as saved.
    """

    settings_saved = Signal(object)

    def __init__(
        self, services: Services, actor: Actor, account: AccountRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Settings of {account.name}", "account_settings_dialog", "Save", parent)
        self._services = services
        self._actor = actor
        self._account = account
        self.set_intro(
            "Provisioning-based launching keeps a single-use campaign Launching until its number "
            "is Provisioning Complete. Switch it off during provider incidents: such campaigns "
            "are then Active at once, and messages sent before the number completes are at risk "
            "and cost a surcharge."
        )
        self.provisioning_based_launching_check = QCheckBox(
            "Wait for the number before a single-use campaign goes Active"
        )
        self.provisioning_based_launching_check.setObjectName("provisioning_based_launching_check")
        self.provisioning_based_launching_check.setChecked(account.provisioning_based_launching)
        self.provisioning_based_launching_check.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed
        )
        self.add_field(
            "Launching", self.provisioning_based_launching_check, "provisioning_based_launching"
        )
        self.default_batch_size_edit = QLineEdit(str(account.default_batch_size))
        self.default_batch_size_edit.setObjectName("default_batch_size_edit")
        self.add_field(
            "Default batch size",
            self.default_batch_size_edit,
            "default_batch_size",
            hint=f"{BATCH_SIZE_MIN} to {BATCH_SIZE_MAX} conversations per Self Assign request, "
            "for campaigns that set none of their own "
            f"(now {formatting.count(account.default_batch_size)}).",
        )
        open_at_width(self, 560)

    def submit(self) -> None:
        accounts = self._services.accounts
        size = batch_size_from_text(self.default_batch_size_edit.text(), field="default_batch_size")
        if size is None:  # the account always has one: empty is refused as any non-number
            size = check_batch_size(None, field="default_batch_size")
        # The setting that can be refused goes first: a refusal leaves both as they were.
        row = self._account
        if size != row.default_batch_size:
            row = accounts.set_default_batch_size(self._actor, size)
        launching = self.provisioning_based_launching_check.isChecked()
        if launching != row.provisioning_based_launching:
            row = accounts.set_provisioning_based_launching(self._actor, launching)
        self.settings_saved.emit(row)
