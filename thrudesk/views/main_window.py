"""The main window: toolbar, the three tabs, the status bar, notifications and shortcuts.

It needs only the services, the simulator (or None) and an actor, so the program, a tester's
fixture or a screenshot run can each build one.

With ``lazy_tabs`` (the program's start-up, QUALITY.md P1) a tab is built when it is first shown
or asked for, not with the window: the first paint waits for the tab in view only, and the
modules of the other tabs are imported when they are needed.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thrudesk import __version__
from thrudesk.services.changes import (
    ACCOUNTS,
    CAMPAIGNS,
    NOTIFICATIONS,
    NUMBERS,
    Change,
    ChangeCollector,
)
from thrudesk.services.container import Services
from thrudesk.services.errors import DiskFull, NotFound, ThrudeskError
from thrudesk.services.rows import (
    AccountRow,
    CampaignStatus,
    CampaignStatusFilter,
    ClockKind,
    NotificationRow,
)
from thrudesk.services.unit_of_work import Actor
from thrudesk.views import formatting, theme
from thrudesk.views.about import AboutDialog, AboutFacts
from thrudesk.views.bridge import ChangeBridge
from thrudesk.views.clock_controls import JumpDialog, SimulationControls, speed_text
from thrudesk.views.notifications import NotificationsButton, NotificationsPopup
from thrudesk.views.simulation import SimulationControl
from thrudesk.views.throttle import Throttle
from thrudesk.views.widgets import Notice, label, open_beside, retint_icons, steady_pages

if TYPE_CHECKING:
    from thrudesk.views.campaign_details import CampaignDetailsTab
    from thrudesk.views.campaigns import CampaignsTab
    from thrudesk.views.phone_numbers import PhoneNumbersTab
    from thrudesk.views.settings_dialogs import AccountSettingsDialog, SendingParametersDialog

log = logging.getLogger("thrudesk.views")

TAB_TITLES = ("Phone Numbers", "Campaigns", "Campaign Details")
PHONE_NUMBERS, CAMPAIGNS_TAB, CAMPAIGN_DETAILS = range(3)
TICK_MS = 500
# Flags that depend on time alone (C6 stuck, C17 auto-archive countdown) are re-read this often
# in simulated time, and never more often than FLAG_REFRESH_MIN_MS of real time.
FLAG_REFRESH_EVERY = timedelta(minutes=15)
FLAG_REFRESH_MIN_MS = 2000
FLAG_REFRESH_ROWS = 400
# The status bar's counters follow the simulator at most this often (QUALITY.md P2).
STATUS_REFRESH_MS = 250


def tab_index(name: str) -> int:
    """``--tab NAME``: a tab's title, case and spacing aside (``campaign-details`` works too)."""
    wanted = name.strip().lower().replace("-", " ").replace("_", " ")
    for position, title in enumerate(TAB_TITLES):
        if title.lower() == wanted:
            return position
    raise ValueError(f"no tab named {name!r}; choose one of: " + ", ".join(TAB_TITLES))


class _TabPage(QWidget):
    """Where a tab built on demand goes: the tab widget's page until then, empty."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(f"{name}_page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, tab: QWidget) -> None:
        layout = self.layout()
        assert layout is not None
        layout.addWidget(tab)
        self.setFocusProxy(tab)
        if self.isVisible():
            # A widget added to a page already on screen would otherwise show a turn later.
            tab.show()


class MainWindow(QMainWindow):
    """thrudesk's window over one store, showing one account at a time.

    With ``lazy_tabs`` each tab is built when first shown or first asked for (the
    ``phone_numbers_tab``, ``campaigns_tab`` and ``campaign_details_tab`` properties build it).

    Signals:
        subject_requested(str, int): open a number or a campaign; safe to emit from any thread
            (desktop notification clicks arrive this way).
        closed(): the window was closed (the program ends its loop).
        store_health_changed(bool): the store met a full disk (True) or took a write again
            (False); safe to emit from any thread.
    """

    subject_requested = Signal(str, int)
    closed = Signal()
    store_health_changed = Signal(bool)

    def __init__(
        self,
        services: Services,
        simulator: SimulationControl | None = None,
        actor: Actor | None = None,
        *,
        settings: QSettings | None = None,
        about: AboutFacts | None = None,
        lazy_tabs: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self._services = services
        self._simulator = simulator
        self._settings = settings
        self._about = about
        self._lazy_tabs = lazy_tabs
        self._actor = actor or self._initial_actor()
        self._account = services.accounts.get(self._actor.account_id)
        self._show_title()
        self._last_flag_refresh = services.clock.now()
        self._closed = False
        self._phone_numbers_tab: PhoneNumbersTab | None = None
        self._campaigns_tab: CampaignsTab | None = None
        self._campaign_details_tab: CampaignDetailsTab | None = None
        # What Campaign Details shows once built (None: the interesting campaign).
        self._details_campaign: int | None = None
        self._notifications_popup: NotificationsPopup | None = None
        self._status_throttle = Throttle(STATUS_REFRESH_MS, self._refresh_status, self)
        # What changed while a built tab was out of view, by tab position, merged as it came.
        self._held: dict[int, ChangeCollector] = {}

        self._build_toolbar()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.setDocumentMode(True)
        steady_pages(self.tabs)
        self._pages: list[_TabPage] = []
        if lazy_tabs:
            for name, title in zip(
                ("phone_numbers", "campaigns", "campaign_details"), TAB_TITLES, strict=True
            ):
                page = _TabPage(name)
                self._pages.append(page)
                self.tabs.addTab(page, title)
        else:
            for position, title in enumerate(TAB_TITLES):
                self.tabs.addTab(self._tab_at(position), title)
        # Above the tabs, while the store cannot be written (a full disk): what every tab shows
        # stays, and writing goes on by itself once there is room.
        self.store_banner = Notice("danger", "store_banner", DiskFull.MESSAGE)
        self.store_banner.label.setText(
            f"{DiskFull.MESSAGE} Free some space on the disk and thrudesk goes on by itself."
        )
        self.store_banner.setVisible(services.store.health.full)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.store_banner)
        central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._build_menus()
        self._build_shortcuts()

        self.bridge = ChangeBridge(services.bus, self)
        self.bridge.changed.connect(self._on_bridge_changed)
        # Told on whichever thread met the full disk; shown on the window's (queued).
        self.store_health_changed.connect(
            self._on_self_store_health_changed, Qt.ConnectionType.QueuedConnection
        )
        services.store.health.subscribe(self.store_health_changed.emit)
        services.clock.add_listener(self._on_clock_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._tick.start()

        self.subject_requested.connect(self.open_subject, Qt.ConnectionType.QueuedConnection)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self._restore_settings()
        if not lazy_tabs and self.campaign_details_tab.campaign_id is None:
            self.campaign_details_tab.show_campaign(self._interesting_campaign())
        self._refresh_status()
        self._refresh_notifications()
        self._retheme()
        # Keyboard first: the table of the tab in view has the focus, not the account switcher.
        if (tab := self.tabs.currentWidget()) is not None:
            tab.setFocus()

    @Slot(bool)
    def _on_self_store_health_changed(self, full: bool) -> None:
        self.store_banner.setVisible(full)

    # ------------------------------------------------------------------ the tabs
    @property
    def phone_numbers_tab(self) -> PhoneNumbersTab:
        """The Phone Numbers tab (built now if it was not yet)."""
        tab = self._phone_numbers_tab
        if tab is None:
            from thrudesk.views.phone_numbers import PhoneNumbersTab

            tab = PhoneNumbersTab(
                self._services,
                self._actor,
                timezone=self._account.timezone,
                simulator=self._simulator,
            )
            self._phone_numbers_tab = tab
            self._hold(PHONE_NUMBERS, tab)
        self._catch_up(PHONE_NUMBERS)
        return tab

    @property
    def campaigns_tab(self) -> CampaignsTab:
        """The Campaigns tab (built now if it was not yet)."""
        tab = self._campaigns_tab
        if tab is None:
            from thrudesk.views.campaigns import CampaignsTab

            tab = CampaignsTab(
                self._services,
                self._actor,
                timezone=self._account.timezone,
                simulator=self._simulator,
            )
            self._campaigns_tab = tab
            tab.details_requested.connect(self._on_campaigns_tab_details_requested)
            tab.manage_numbers_requested.connect(self._on_campaigns_tab_manage_numbers_requested)
            self._hold(CAMPAIGNS_TAB, tab)
        self._catch_up(CAMPAIGNS_TAB)
        return tab

    @property
    def campaign_details_tab(self) -> CampaignDetailsTab:
        """The Campaign Details tab (built now if it was not yet, showing the campaign chosen
        meanwhile, else the interesting one).
        """
        tab = self._campaign_details_tab
        if tab is None:
            from thrudesk.views.campaign_details import CampaignDetailsTab

            tab = CampaignDetailsTab(
                self._services,
                self._actor,
                timezone=self._account.timezone,
                simulator=self._simulator,
            )
            self._campaign_details_tab = tab
            tab.campaign_requested.connect(self._on_details_tab_campaign_requested)
            tab.number_requested.connect(self._on_details_tab_number_requested)
            tab.manage_numbers_requested.connect(self._on_campaigns_tab_manage_numbers_requested)
            self._hold(CAMPAIGN_DETAILS, tab)
            if self._lazy_tabs:
                # Built on demand: the campaign it opens on is not the admin's choice, so the
                # Campaigns tab keeps its own selection.
                if self._details_campaign is not None:
                    tab.show_campaign(self._details_campaign)
                if tab.campaign_id is None:
                    tab.show_campaign(self._interesting_campaign())
            tab.campaign_shown.connect(self._on_details_tab_campaign_shown)
        return tab

    def _tab_at(self, position: int) -> QWidget:
        if position == PHONE_NUMBERS:
            return self.phone_numbers_tab
        if position == CAMPAIGNS_TAB:
            return self.campaigns_tab
        return self.campaign_details_tab

    def _hold(self, position: int, tab: QWidget) -> None:
        if self._lazy_tabs:
            self._pages[position].hold(tab)

    def _catch_up(self, position: int) -> None:
        """Apply to a built tab, as one change, all that changed while it was out of view."""
        held = self._held.pop(position, None)
        if held is None:
            return
        tab = dict(self._built_tabs()).get(position)
        if tab is not None:
            tab.apply_change(held.freeze())

    def _built_tabs(self) -> list[tuple[int, PhoneNumbersTab | CampaignsTab | CampaignDetailsTab]]:
        tabs = (self._phone_numbers_tab, self._campaigns_tab, self._campaign_details_tab)
        return [(position, tab) for position, tab in enumerate(tabs) if tab is not None]

    @property
    def notifications_popup(self) -> NotificationsPopup:
        """The list the notifications button opens (built when first needed)."""
        popup = self._notifications_popup
        if popup is None:
            popup = NotificationsPopup(self)
            popup.notification_activated.connect(
                self._on_notifications_popup_notification_activated
            )
            popup.mark_all_read_requested.connect(
                self._on_notifications_popup_mark_all_read_requested
            )
            self._notifications_popup = popup
        return popup

    def setVisible(self, visible: bool) -> None:
        # The tab in view is built before the window first shows, so that it paints with it.
        if visible and self._lazy_tabs and not self.isVisible():
            self._tab_at(self.tabs.currentIndex()).setFocus()
        super().setVisible(visible)

    def set_details_campaign(self, campaign_id: int) -> None:
        """Campaign Details will show ``campaign_id``: now if the tab is built, else once it
        is (``--campaign``, the remembered campaign).
        """
        if self._campaign_details_tab is not None:
            self._campaign_details_tab.show_campaign(campaign_id)
        else:
            self._details_campaign = campaign_id

    # ------------------------------------------------------------------ construction
    def _initial_actor(self) -> Actor:
        accounts = self._services.accounts.all()
        if not accounts:
            raise NotFound("This store holds no account yet.", field="account")
        remembered = self._settings.value("window/account") if self._settings else None
        chosen = accounts[0]
        for account in accounts:
            if str(account.id) == str(remembered):
                chosen = account
        return self._services.accounts.admin_actor(chosen.id)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

        toolbar.addWidget(self._caption("Account"))
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("account_combo")
        self.account_combo.setToolTip("The account the window shows (each sees only its own data)")
        self.account_combo.setMinimumWidth(200)
        toolbar.addWidget(self.account_combo)
        self._fill_accounts()
        self.account_combo.activated.connect(self._on_account_combo_activated)

        toolbar.addWidget(self._separator())
        toolbar.addWidget(self._caption("Simulation"))
        self.simulation = SimulationControls(self._services.clock, self._simulator, self)
        self.clock_pause_button = self.simulation.pause_button
        self.clock_speed_combo = self.simulation.speed_combo
        self.clock_jump_button = self.simulation.jump_button
        self.scenario_combo = self.simulation.scenario_combo
        toolbar.addWidget(self.clock_pause_button)
        toolbar.addWidget(self.clock_speed_combo)
        toolbar.addWidget(self.clock_jump_button)
        toolbar.addWidget(self._caption("Scenario"))
        toolbar.addWidget(self.scenario_combo)
        self.simulation.jump_requested.connect(self.open_jump_dialog)

        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.notifications_button = NotificationsButton()
        self.notifications_button.clicked.connect(self._on_notifications_button_clicked)
        toolbar.addWidget(self.notifications_button)

    @staticmethod
    def _caption(text: str) -> QLabel:
        caption = label(text)
        caption.setProperty("role", "toolbar-caption")
        return caption

    @staticmethod
    def _separator() -> QFrame:
        line = QFrame()
        line.setProperty("role", "toolbar-separator")
        line.setFixedWidth(1)
        return line

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.status_time_label = label(name="status_time_label")
        self.status_speed_label = label(name="status_speed_label")
        self.status_provisioning_label = label(name="status_provisioning_label")
        self.status_usage_label = label(name="status_usage_label")
        bar.addWidget(self.status_time_label)
        bar.addWidget(self.status_speed_label)
        bar.addPermanentWidget(self.status_provisioning_label)
        bar.addPermanentWidget(self.status_usage_label)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = menus.addMenu("&View")
        for position, title in enumerate(TAB_TITLES):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{position + 1}"))
            action.triggered.connect(lambda _=False, p=position: self.tabs.setCurrentIndex(p))
            view_menu.addAction(action)
        simulation_menu = menus.addMenu("&Simulation")
        pause_action = QAction("Pause or resume the clock\tSpace", self)
        pause_action.triggered.connect(self.simulation.toggle_pause)
        simulation_menu.addAction(pause_action)
        jump_action = QAction("Jump to a date and time…", self)
        jump_action.triggered.connect(self.open_jump_dialog)
        simulation_menu.addAction(jump_action)
        simulation_menu.addSeparator()
        parameters_action = QAction("Sending parameters…", self)
        parameters_action.setObjectName("sending_parameters_action")
        parameters_action.triggered.connect(self.open_sending_parameters_dialog)
        simulation_menu.addAction(parameters_action)
        settings_menu = menus.addMenu("Se&ttings")
        account_action = QAction("Account settings…", self)
        account_action.setObjectName("account_settings_action")
        account_action.triggered.connect(self.open_account_settings_dialog)
        settings_menu.addAction(account_action)
        help_menu = menus.addMenu("&Help")
        about_action = QAction("&About thrudesk", self)
        about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(about_action)

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str | QKeySequence.StandardKey | Qt.Key, slot: object) -> QShortcut:
            item = QShortcut(QKeySequence(keys), self)
            item.activated.connect(slot)
            return item

        shortcut("Ctrl+N", self._on_new_shortcut_activated)
        shortcut("Ctrl+F", self._on_find_shortcut_activated)
        shortcut("Ctrl+L", self._on_launch_shortcut_activated)
        self.space_shortcut = shortcut(Qt.Key.Key_Space, self._on_space_shortcut_activated)

    # ------------------------------------------------------------------ public
    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def account(self) -> AccountRow:
        return self._account

    def set_account(self, account_id: int) -> None:
        """Show another account: every tab, the status bar and the notifications follow (N12)."""
        if account_id == self._actor.account_id:
            return
        self._actor = self._services.accounts.admin_actor(account_id)
        self._account = self._services.accounts.get(account_id)
        tz = self._account.timezone
        self._details_campaign = None
        self._held.clear()  # every tab reads the other account afresh
        for _position, tab in self._built_tabs():
            tab.set_account(self._actor, tz)
        if self._campaign_details_tab is not None:
            self._campaign_details_tab.show_campaign(self._interesting_campaign())
        position = self.account_combo.findData(account_id)
        if position >= 0:
            self.account_combo.setCurrentIndex(position)
        self._show_title()
        self._refresh_status()
        self._refresh_notifications()

    @Slot(str, int)
    def open_subject(self, subject_type: str, subject_id: int) -> None:
        """Bring the window up on a number or a campaign (notification activation, N11)."""
        if subject_type == "campaign":
            self.campaign_details_tab.show_campaign(subject_id)
            self.tabs.setCurrentIndex(CAMPAIGN_DETAILS)
            self.campaigns_tab.select_campaign(subject_id)
        elif subject_type == "phone_number":
            self.tabs.setCurrentIndex(PHONE_NUMBERS)
            self.phone_numbers_tab.select_number(subject_id)
        else:
            log.warning("nothing to open for a notification about %s %s", subject_type, subject_id)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def open_notification(self, notification: NotificationRow) -> None:
        """Mark ``notification`` read and open what it is about."""
        try:
            self._services.notifications.mark_read(self._actor, notification.id)
        except ThrudeskError as error:
            log.warning("could not mark notification %s read: %s", notification.id, error)
        self.open_subject(notification.subject_type, notification.subject_id)
        self._refresh_notifications()

    @Slot()
    def open_jump_dialog(self) -> JumpDialog:
        dialog = JumpDialog(self._services.clock, self._account.timezone, self)
        open_beside(dialog)
        return dialog

    @Slot()
    def open_sending_parameters_dialog(self) -> SendingParametersDialog:
        """Simulation → Sending parameters… (M2)."""
        from thrudesk.views.settings_dialogs import SendingParametersDialog

        dialog = SendingParametersDialog(self._services, self._actor, self)
        open_beside(dialog)
        return dialog

    @Slot()
    def open_account_settings_dialog(self) -> AccountSettingsDialog:
        """Settings → Account settings… (C5, C14)."""
        from thrudesk.views.settings_dialogs import AccountSettingsDialog

        dialog = AccountSettingsDialog(self._services, self._actor, self._account, self)
        open_beside(dialog)
        return dialog

    def show_campaign_details(self, campaign_id: int) -> None:
        self.campaign_details_tab.show_campaign(campaign_id)
        self.tabs.setCurrentIndex(CAMPAIGN_DETAILS)

    def save_settings(self) -> None:
        if self._settings is None:
            return
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/tab", self.tabs.currentIndex())
        self._settings.setValue("window/account", self._actor.account_id)
        details = self._campaign_details_tab
        campaign_id = details.campaign_id if details is not None else self._details_campaign
        if campaign_id is not None:
            self._settings.setValue("window/campaign", campaign_id)
        self._settings.sync()

    def shutdown(self) -> None:
        """Stop listening to the services (the window is going away)."""
        if self._closed:
            return
        self._closed = True
        self._tick.stop()
        if self._campaign_details_tab is not None:
            self._campaign_details_tab.shutdown()
        self.bridge.close()
        self._services.store.health.unsubscribe(self.store_health_changed.emit)
        self._services.clock.remove_listener(self._on_clock_changed)

    # ------------------------------------------------------------------ state
    def _restore_settings(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        # The campaign first: a tab built on demand then opens on it at once.
        campaign = self._settings.value("window/campaign")
        if campaign is not None and str(campaign).isdigit():
            self.set_details_campaign(int(str(campaign)))
        tab = self._settings.value("window/tab")
        if tab is not None and str(tab).isdigit() and int(str(tab)) < len(TAB_TITLES):
            self.tabs.setCurrentIndex(int(str(tab)))

    def _interesting_campaign(self) -> int | None:
        """What Campaign Details shows before the admin picks: the newest campaign that is
        Launching (its badge is about to change), else the newest Active one, else the newest.
        """
        drafts = self._services.campaigns.index(
            self._actor, status=CampaignStatusFilter.DRAFT, limit=50, with_total=False
        )
        for row in drafts.rows:
            if row.status is CampaignStatus.LAUNCHING:
                return row.id
        for status in (CampaignStatusFilter.ACTIVE, CampaignStatusFilter.ALL):
            page = self._services.campaigns.index(
                self._actor, status=status, limit=1, with_total=False
            )
            if page.rows:
                return page.rows[0].id
        return None

    def _fill_accounts(self) -> None:
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        for account in self._services.accounts.all():
            self.account_combo.addItem(account.name, account.id)
        position = self.account_combo.findData(self._actor.account_id)
        self.account_combo.setCurrentIndex(max(0, position))
        self.account_combo.blockSignals(False)

    def _show_title(self) -> None:
        self.setWindowTitle(f"{self._account.name} — thrudesk")

    def _refresh_status(self) -> None:
        self._show_time()
        clock = self._services.clock
        if clock.kind is ClockKind.MANUAL:
            speed = "Manual clock"
        elif clock.kind is ClockKind.REAL:
            speed = "Real time"
        else:
            speed = "Paused" if clock.paused else f"Speed {speed_text(clock.speed)}"
        self.status_speed_label.setText(speed)
        provisioning = self._services.numbers.provisioning_count(self._actor)
        self.status_provisioning_label.setText(
            f"{formatting.plural(provisioning, 'number')} provisioning"
        )
        usage = [
            f"{use_case.name} {use_case.used} of {use_case.limit}"
            for use_case in self._services.numbers.use_cases(self._actor)
            if use_case.usable
        ]
        self.status_usage_label.setText("  ·  ".join(usage))
        self.status_usage_label.setToolTip("\n".join(usage))
        self._fit_status_bar()

    def _fit_status_bar(self) -> None:
        """Where the status bar has no room for every part, the use cases' usage steps aside
        (the Phone Numbers tab shows it too) rather than every part being cut short.
        """
        parts = (
            self.status_time_label,
            self.status_speed_label,
            self.status_provisioning_label,
            self.status_usage_label,
        )
        # Each part, its margins and the bar's spacing between them.
        needed = sum(part.sizeHint().width() + 24 for part in parts)
        fits = needed <= self.statusBar().width()
        if self.status_usage_label.isHidden() == fits:
            self.status_usage_label.setVisible(fits)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "status_usage_label"):
            self._fit_status_bar()

    def _show_time(self) -> None:
        now = self._services.clock.now()
        tz = self._account.timezone
        eastern = (
            f"{formatting.date_time(now, formatting.EASTERN, year=True)} "
            f"{formatting.zone_abbreviation(now, formatting.EASTERN)}"
        )
        if (
            formatting.local(now, tz).utcoffset()
            == formatting.local(now, formatting.EASTERN).utcoffset()
        ):
            self.status_time_label.setText(eastern)
        else:
            self.status_time_label.setText(
                f"{eastern}  ·  {formatting.clock_time(now, tz)} "
                f"{formatting.zone_abbreviation(now, tz)} (account)"
            )

    def _refresh_notifications(self) -> None:
        unread = self._services.notifications.unread_count(self._actor)
        self.notifications_button.set_unread(unread)
        if self._notifications_popup is not None and self._notifications_popup.isVisible():
            self._fill_notifications()

    def _fill_notifications(self) -> None:
        rows = self._services.notifications.list(self._actor, limit=50)
        self.notifications_popup.set_notifications(rows, self._account.timezone)

    def _retheme(self) -> None:
        retint_icons(self)
        self.simulation.retheme()
        self.notifications_button.setIcon(theme.icon("bell"))
        for position, name in enumerate(("phone", "campaign", "details")):
            self.tabs.setTabIcon(position, theme.icon(name))

    def retheme(self) -> None:
        """Redraw icons and painted badges after the light/dark theme changed."""
        self._retheme()
        self.update()

    # ------------------------------------------------------------------ handlers
    @Slot(object)
    def _on_bridge_changed(self, change: Change) -> None:
        if change.touches(ACCOUNTS):
            self._fill_accounts()
            try:
                self._account = self._services.accounts.get(self._actor.account_id)
            except NotFound:
                return
        if change.account_ids and self._actor.account_id not in change.account_ids:
            return  # another account's work (N12)
        # A tab not built yet reads everything afresh when it is. One out of view is told when
        # it is shown (or asked for), once, of all that changed meanwhile: nobody sees it
        # before, and the window's thread stays with the tab in view (QUALITY.md P2). Campaign
        # Details reads its campaign afresh whenever it is shown: out of view, it is not told.
        current = self.tabs.currentIndex()
        for position, tab in self._built_tabs():
            if position == current:
                tab.apply_change(change)
            elif position != CAMPAIGN_DETAILS:
                held = self._held.get(position)
                if held is None:
                    held = self._held[position] = ChangeCollector()
                held.gather(change)
        if change.touches(NOTIFICATIONS):
            self._refresh_notifications()
        if change.touches(NUMBERS) or change.touches(CAMPAIGNS) or change.touches(ACCOUNTS):
            self._status_throttle.poke()
        self.simulation.refresh()

    def _on_clock_changed(self) -> None:
        self.simulation.refresh()
        self._refresh_status()
        self._refresh_time_flags(force=True)

    @Slot()
    def _on_tick_timeout(self) -> None:
        self._show_time()
        now = self._services.clock.now()
        if self._campaign_details_tab is not None:
            self._campaign_details_tab.tick(now)
        self._refresh_time_flags()

    def _refresh_time_flags(self, *, force: bool = False) -> None:
        now = self._services.clock.now()
        elapsed = now - self._last_flag_refresh
        if not force and (
            elapsed < FLAG_REFRESH_EVERY
            or elapsed.total_seconds() / max(self._services.clock.speed, 1.0) * 1000
            < FLAG_REFRESH_MIN_MS
        ):
            return
        self._last_flag_refresh = now
        # Flags move no row (they are not statuses nor sort keys): loaded rows are read again.
        # As time runs on, that is the rows in view now and the others as they come into view;
        # after a jump or a manual step (force), the first FLAG_REFRESH_ROWS at once, as
        # whatever the jump made due has been applied by then.
        campaigns = self._campaigns_tab
        if campaigns is not None:
            if force:
                model = campaigns.model
                model.refresh_ids([row.id for row in model.rows()[:FLAG_REFRESH_ROWS]])
            campaigns.refresh_time_flags()
        details = self._campaign_details_tab
        if details is not None and (force or self.tabs.currentIndex() == CAMPAIGN_DETAILS):
            details.refresh_soon()  # out of view, it reads its campaign again when shown

    @Slot(int)
    def _on_account_combo_activated(self, index: int) -> None:
        account_id = self.account_combo.itemData(index)
        if isinstance(account_id, int):
            self.set_account(account_id)

    @Slot()
    def _on_notifications_button_clicked(self) -> None:
        self._fill_notifications()
        self.notifications_popup.show_below(self.notifications_button)

    @Slot(object)
    def _on_notifications_popup_notification_activated(self, row: NotificationRow) -> None:
        self.open_notification(row)

    @Slot()
    def _on_notifications_popup_mark_all_read_requested(self) -> None:
        self._services.notifications.mark_all_read(self._actor)
        self._refresh_notifications()
        self._fill_notifications()

    @Slot(int)
    def _on_campaigns_tab_details_requested(self, campaign_id: int) -> None:
        self.show_campaign_details(campaign_id)

    @Slot()
    def _on_campaigns_tab_manage_numbers_requested(self) -> None:
        # C2: Manage opens the Phone Numbers tab with the add-number dialog.
        self.tabs.setCurrentIndex(PHONE_NUMBERS)
        self.phone_numbers_tab.open_add_dialog()

    @Slot(int)
    def _on_details_tab_campaign_shown(self, campaign_id: int) -> None:
        self.campaigns_tab.model.requery()
        self.campaigns_tab.select_campaign(campaign_id)

    @Slot(int)
    def _on_details_tab_campaign_requested(self, campaign_id: int) -> None:
        self.show_campaign_details(campaign_id)

    @Slot(int)
    def _on_details_tab_number_requested(self, number_id: int) -> None:
        self.open_subject("phone_number", number_id)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        self._catch_up(index)
        if index == CAMPAIGN_DETAILS:
            built = self._campaign_details_tab is not None
            details = self.campaign_details_tab
            if built:
                details.refresh_in_background()
        elif index in (PHONE_NUMBERS, CAMPAIGNS_TAB):
            tab = self.phone_numbers_tab if index == PHONE_NUMBERS else self.campaigns_tab
            tab.came_into_view()
            tab.setFocus()

    @Slot()
    def _on_new_shortcut_activated(self) -> None:
        if self.tabs.currentIndex() == PHONE_NUMBERS:
            self.phone_numbers_tab.open_add_dialog()
        else:
            self.tabs.setCurrentIndex(CAMPAIGNS_TAB)
            self.campaigns_tab.open_new_dialog()

    @Slot()
    def _on_find_shortcut_activated(self) -> None:
        if self.tabs.currentIndex() == PHONE_NUMBERS:
            self.phone_numbers_tab.focus_filter()
        else:
            self.tabs.setCurrentIndex(CAMPAIGNS_TAB)
            self.campaigns_tab.focus_filter()

    @Slot()
    def _on_launch_shortcut_activated(self) -> None:
        if self.tabs.currentIndex() == CAMPAIGN_DETAILS and self.campaign_details_tab.campaign_id:
            # As its Launch button does: the dialog, and what it says after, stay on the tab.
            self.campaign_details_tab.open_launch_dialog()
            return
        self.campaigns_tab.open_launch_dialog()

    @Slot()
    def _on_space_shortcut_activated(self) -> None:
        # Text fields keep their spaces (they claim the key first); a focused button or list
        # still answers Space as it would without the shortcut, but on the toolbar Space is
        # the clock's, whichever of its buttons has the focus.
        focus = QApplication.focusWidget()
        on_toolbar = focus is not None and self.toolbar.isAncestorOf(focus)
        if isinstance(focus, QAbstractButton) and not on_toolbar:
            focus.animateClick()
        elif isinstance(focus, QComboBox):
            focus.showPopup()
        else:
            self.simulation.toggle_pause()

    @Slot()
    def _on_about_action_triggered(self) -> None:
        self.open_about_dialog()

    def open_about_dialog(self) -> AboutDialog:
        """Help → About: the version and this profile's store, log and settings files."""
        store = self._services.store
        facts = self._about or AboutFacts(
            version=__version__,
            store=str(store.path or store.url),
            settings_file=self._settings.fileName() if self._settings else None,
        )
        dialog = AboutDialog(facts, self)
        open_beside(dialog)
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)
        self.closed.emit()


__all__ = ["TAB_TITLES", "MainWindow", "tab_index"]
