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
    # The browser tests drive Debian's Chromium; Chinese text needs a CJK font to render.
    "test": {"chromium": "chromium", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc": "fonts-noto-cjk"},
    "bench": {"wrk": "wrk", "nginx": "nginx"},
}


def _present(need: str) -> bool:
    """A path that must exist, or a command on PATH (or in /usr/sbin, which root's PATH may lack)."""
    if need.startswith("/"):
        return os.path.exists(need)
    return shutil.which(need) is not None or os.path.exists(f"/usr/sbin/{need}")


def ensure(target: str) -> None:
    missing = sorted({pkg for need, pkg in NEEDS.get(target, {}).items() if not _present(need)})
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
