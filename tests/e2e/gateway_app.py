"""The gateway with the console mounted, for the browser tests.

``mount_console`` is idempotent: once ``gateway.app.create_app`` calls it itself, this factory is the same
app as ``make run`` serves.
"""

from __future__ import annotations

from gateway.app import create_app as create_gateway
from gateway.console import mount_console


def create_app():
    app = create_gateway()
    mount_console(app)
    return app
