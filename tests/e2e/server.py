"""A real Agora server process for end-to-end and chaos tests.

The server runs `manage.py serve` (uvicorn, as `make demo` does) on a free loopback port against its own variable
directory (file SQLite database, media, secret key) so nothing is shared with the developer's
`var/` or with the pytest-django test database. Emails go to files (`mails()` reads them), so a
test can follow a sign-in link the way a member does from a phone's mail app.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_dir(prefix: str) -> Path:
    """A fresh folder, in memory when the machine has /dev/shm (SQLite's fsyncs cost nothing there)."""
    import tempfile

    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


_TEMPLATE: Path | None = None


def seeded_template() -> Path:
    """A migrated and seeded variable directory, made once per test process and copied by each server."""
    global _TEMPLATE
    if _TEMPLATE is None:
        import atexit
        import shutil

        root = scratch_dir("agora-template-")
        atexit.register(shutil.rmtree, root, True)
        server = LiveServer(root=root)
        (root / "var").mkdir()
        server.manage("migrate", "--noinput", "--verbosity", "0")
        server.manage("seed_demo")
        _TEMPLATE = root / "var"
    return _TEMPLATE


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class LiveServer:
    """One server process and its private state; `start`, `kill`, `restart`, `stop`."""

    root: Path
    port: int = field(default_factory=free_port)
    database_url: str | None = None
    redis_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return self.root / "mail"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "backend.settings",
                "AGORA_VAR_DIR": str(self.root / "var"),
                "AGORA_ENV": "development",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.url,
                "EMAIL_BACKEND": "tests.e2e.mailbox.EmailBackend",
                "EMAIL_FILE_PATH": str(self.mail_dir),
                "AGORA_TEST_MAIL_DIR": str(self.mail_dir),
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(BASE_DIR),
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    # --- commands run in the server's environment -------------------------------------------
    def manage(self, *args: str, timeout: float = 300) -> str:
        return self.python("manage.py", *args, timeout=timeout)

    def python(self, *args: str, timeout: float = 300, stdin: str | None = None) -> str:
        result = subprocess.run(
            [PYTHON, *args],
            cwd=BASE_DIR,
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def script(self, command: str, **params) -> dict:
        """Run tests/e2e/cast.py COMMAND in the server's environment; its JSON answer."""
        out = self.python("-m", "tests.e2e.cast", command, json.dumps(params))
        return json.loads(out.strip().splitlines()[-1])

    def prepare(self, *, seed: bool = True) -> None:
        """Migrate and seed (SQLite: a copy of the process-wide seeded template)."""
        import shutil

        self.mail_dir.mkdir(parents=True, exist_ok=True)
        if seed and not self.database_url:
            shutil.copytree(seeded_template(), self.root / "var", dirs_exist_ok=True)
            return
        (self.root / "var").mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "--verbosity", "0")
        if seed:
            self.manage("seed_demo")

    # --- process control --------------------------------------------------------------------
    def start(self, timeout: float = 60) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):  # noqa: S310 (loopback)
                    return
            except urllib.error.HTTPError:
                return  # the server answers; what it answers is the tests' business
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """kill -9 the whole server process group: no clean shutdown, no flush."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # --- mail -------------------------------------------------------------------------------
    def mails(self) -> list[email.message.EmailMessage]:
        """Every email the server sent, oldest first."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            raw = path.read_bytes()
            # The file backend separates messages with a line of 79 dashes.
            for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk.lstrip(), policy=email.policy.default))
        return messages

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.mails() if address.lower() in str(m.get("To", "")).lower()]


def mail_text(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else message.get_payload(decode=True).decode()
