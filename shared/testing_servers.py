"""Private RabbitMQ nodes and PostgreSQL clusters for fault tests, on free ports, killed only by their owner.

Fault tests must never touch the machine's shared servers: they start one of these, crash and restart it,
and remove it afterwards (recipes in the team's RECIPES.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float, *, host: str = "127.0.0.1") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return True
        time.sleep(0.1)
    return False


def _chown(path: Path, user: str) -> None:
    subprocess.run(["chown", "-R", f"{user}:{user}", str(path)], check=True)


class PrivateRabbitMQ:
    """A RabbitMQ node of our own. ``kill()`` is a crash (SIGKILL of the node's processes); ``start()`` again
    keeps its durable queues and persistent messages, as a restarted production node does."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ms-rabbit-"))
        self.port = free_port()
        self.dist_port = free_port()
        self.node = f"mst{self.port}@localhost"
        (self.dir / "mnesia").mkdir()
        (self.dir / "log").mkdir()
        (self.dir / "enabled_plugins").write_text("[].\n")
        # Our own config: the machine's /etc/rabbitmq/rabbitmq.conf pins the shared node's listener port.
        (self.dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
        )
        _chown(self.dir, "rabbitmq")
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "RABBITMQ_NODENAME": self.node, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port), "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"), "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "RABBITMQ_FEATURE_FLAGS_FILE": str(self.dir / "feature_flags"),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq.conf"),
        }

    def start(self, timeout: float = 60) -> None:
        if shutil.which("rabbitmq-server") is None:
            raise RuntimeError("rabbitmq-server is not installed: fault tests need it to start a private node")
        self._process = subprocess.Popen(
            ["rabbitmq-server"], env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if not wait_port(self.port, timeout):
            self.kill()
            raise RuntimeError(f"private RabbitMQ node did not open port {self.port} within {timeout}s")

    def _node_pids(self) -> list[int]:
        """The node's processes, found by the node name in their environment (the wrapper that drops to
        the rabbitmq user starts them in a session of their own, and their command line omits the name)."""
        marker = f"RABBITMQ_NODENAME={self.node}".encode()
        pids = []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                with contextlib.suppress(OSError):
                    if marker in (proc / "environ").read_bytes().split(b"\0"):
                        pids.append(int(proc.name))
        return pids

    def kill(self) -> None:
        """Crash the node: SIGKILL to its whole process group (beam.smp, epmd stays shared and harmless)."""
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                self._process.wait(timeout=10)
            self._process = None
        for pid in self._node_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and wait_port(self.port, 0.1):
            time.sleep(0.1)

    def stop_and_remove(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb as the postgres user). ``crash()`` is an immediate stop."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ms-pg-"))
        self.port = free_port()
        _chown(self.dir, "postgres")
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self._as_postgres(f"{self.bin}/initdb -D {self.dir}/data -A trust -U postgres >/dev/null")

    def _as_postgres(self, command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True)

    def url(self, database: str = "postgres", driver: str = "asyncpg") -> str:
        return f"postgresql+{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 30) -> None:
        self._as_postgres(
            f"{self.bin}/pg_ctl -D {self.dir}/data -o '-p {self.port} -k {self.dir} "
            f"-c listen_addresses=127.0.0.1 -c fsync=off' -l {self.dir}/log -w start >/dev/null"
        )
        if not wait_port(self.port, timeout):
            raise RuntimeError(f"private PostgreSQL did not open port {self.port}")

    def crash(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl -D {self.dir}/data -m immediate stop >/dev/null")

    def stop_and_remove(self) -> None:
        with contextlib.suppress(Exception):
            self._as_postgres(f"{self.bin}/pg_ctl -D {self.dir}/data -m immediate stop >/dev/null 2>&1")
        shutil.rmtree(self.dir, ignore_errors=True)
