"""Home-safety devices as pure rules: the kit, and which API keys may speak for which device.

A vendor's platform posts alerts with a gateway API key. The key is scoped to alerts only, and bound to
devices by its scopes: ``community:alerts:device:<device id>`` for one device, or
``community:alerts:vendor:<vendor code>`` for every device registered with that vendor. Nothing else in this
service accepts these scopes, so such a key reads nothing.
"""

from __future__ import annotations

import uuid
from typing import Literal

from shared.auth import Principal

DeviceType = Literal["smoke", "gas", "emergency_button", "door_sensor"]
KIT: tuple[str, ...] = ("smoke", "gas", "emergency_button", "door_sensor")  # 安居守护四件套
VENDOR_CODE = r"^[a-z0-9][a-z0-9_\-]{1,39}$"
SCOPE_PREFIX = "community:alerts"


def device_scope(device_id: uuid.UUID) -> str:
    return f"{SCOPE_PREFIX}:device:{device_id}"


def vendor_scope(vendor_code: str) -> str:
    return f"{SCOPE_PREFIX}:vendor:{vendor_code}"


def may_post_alert(principal: Principal, *, device_id: uuid.UUID, vendor_code: str) -> bool:
    """Community staff (a call to the hotline) and admins may; a key only for its own devices."""
    if principal.has_role("admin", "community"):
        return True
    return principal.has_scope(device_scope(device_id)) or principal.has_scope(vendor_scope(vendor_code))


def holds_alert_scope(principal: Principal) -> bool:
    return any(scope.startswith(SCOPE_PREFIX + ":") for scope in principal.scopes)
