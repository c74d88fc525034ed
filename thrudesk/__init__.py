"""thrudesk: a desktop console for the account admins of a peer-to-peer texting platform.

Admins manage their sending phone numbers and launch campaigns on them; thrudesk shows carrier
provisioning live and simulates the carriers offline.
"""

__version__ = "0.1.0"
APP_NAME = "thrudesk"
APP_ID = "io.thrudesk.Thrudesk"
