"""Mail test fixtures: the corpus, a real SMTP server (aiosmtpd) and a real IMAP server (Debian's
dovecot) started on loopback by the tests themselves."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django import Settings

CORPUS = Path(__file__).parent / "corpus"
SECRET = "inbound-test-secret"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture(autouse=True)
def _mail_settings(settings: Settings, rules_triage: None) -> None:
    settings.SUPPORT_EMAIL = "support@desk.example"
    settings.INBOUND_EMAIL_SECRET = SECRET
    settings.MAIL_RATE_LIMIT = None
    settings.MAIL_SEND_RETRY_SECONDS = 0.0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_email(
    *,
    sender: str = "carol@customer.example",
    subject: str = "Printer jams",
    body: str = "The printer jams on page two.",
    message_id: str | None = None,
    to: str = "support@desk.example",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id or os.urandom(8).hex()}@customer.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@dataclass
class SmtpSink:
    """What the loopback SMTP server received."""

    host: str
    port: int
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    port = free_port()
    sink = SmtpSink(host="127.0.0.1", port=port)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass(frozen=True)
class ImapServer:
    port: int
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"


def _dovecot() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )


@contextmanager
def running_dovecot() -> Iterator[ImapServer]:
    """Start Debian's dovecot on a free loopback port with a throwaway maildir and a static
    password; stop it and remove its files afterwards. Raises RuntimeError if it cannot start.
    Used by the tests below and by bench/mail.py."""
    binary = _dovecot()
    if binary is None:
        raise FileNotFoundError("dovecot")
    # Not under pytest's tmp_path: that is private (0700) and, as root, dovecot must hand the
    # mailbox to an unprivileged user, who needs to reach it.
    root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
    root.chmod(0o755)
    is_root = os.getuid() == 0
    # Dovecot never accesses mail as root: there it uses Debian's `mail` system user.
    owner = pwd.getpwnam("mail") if is_root else pwd.getpwuid(os.getuid())
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(root / sub, owner.pw_uid, owner.pw_gid)
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(
        DOVECOT_CONF.format(
            root=root,
            uid=owner.pw_uid,
            gid=owner.pw_gid,
            port=port,
            password="imap-test-password",
            login_user="dovenull" if is_root else owner.pw_name,
            internal_user="dovecot" if is_root else owner.pw_name,
        )
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log_file = root / "dovecot.log"
                    log = log_file.read_text() if log_file.exists() else ""
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(f"dovecot did not start: {output}\n{log}") from None
                time.sleep(0.05)
        yield ImapServer(port=port, user="desk", password="imap-test-password")
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """A real IMAP server (dovecot) for one test. `make test` installs it
    (scripts/ensure-debian-packages.sh); without it, CI fails here."""
    if _dovecot() is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed (scripts/ensure-debian-packages.sh installs it)")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    with running_dovecot() as server:
        yield server
