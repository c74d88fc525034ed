"""Icons, themes and data files shipped with thrudesk (installed as ``thrudesk.resources``)."""
