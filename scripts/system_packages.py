"""Install the Debian packages a target needs when they are missing (``python -m scripts.system_packages test``).

Python dependencies come from requirements.txt; these are the few programs that PyPI does not carry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# target -> {command that must exist: Debian package providing it}
NEEDS: dict[str, dict[str, str]] = {
    "test": {},
    "bench": {"wrk": "wrk", "nginx": "nginx"},
}


def ensure(target: str) -> None:
    missing = sorted({pkg for cmd, pkg in NEEDS.get(target, {}).items() if shutil.which(cmd) is None
                      and not os.path.exists(f"/usr/sbin/{cmd}")})
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing system packages: {' '.join(missing)} (run: sudo apt-get install -y {' '.join(missing)})")
    print(f"installing system packages: {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


if __name__ == "__main__":
    ensure(sys.argv[1] if len(sys.argv) > 1 else "test")
