"""The window: Qt only. Tabs, dialogs, table models, badges and the theme.

Views read the services' frozen rows and call the services' functions; they never import
``thrudesk.models`` nor run SQL (ARCHITECTURE.md). :class:`~thrudesk.views.main_window.MainWindow`
needs only the services, the simulator and an actor, so tests and tools can build one.
"""
