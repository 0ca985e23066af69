"""The reminder worker sends each due reminder exactly once, even when killed and restarted.

A real `manage.py reminders` runs in a subprocess against a database both processes can open:
on PostgreSQL the test database itself, on SQLite a file copy of the (in-memory) test
database. Its email backend (stalling_mail.py) writes one file per message and hangs before a
chosen message, so the test kills it with SIGKILL at a known point: after it claimed a batch,
partway through sending it. A second worker must then send the rest, reclaiming the dead
worker's batch when its lease ends, and nothing may go twice.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from prolo.clinic.models import Reminder, ReminderKind, ReminderStatus

pytestmark = pytest.mark.django_db(transaction=True)
COUNT = 30
STALL_AT = 12  # messages sent before the first worker hangs and is killed
OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING)


def shared_database(tmp_path: Path) -> tuple[str, Callable[[], Counter[str]]]:
    """A DATABASE_URL a subprocess can open, and a reader of its reminders' statuses."""
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)

        def sqlite_statuses() -> Counter[str]:
            with sqlite3.connect(path, timeout=10) as db:
                rows = db.execute("SELECT status, COUNT(*) FROM clinic_reminder GROUP BY status")
                return Counter(dict(rows.fetchall()))

        return f"sqlite:///{path}", sqlite_statuses
    if connection.vendor != "postgresql":
        pytest.skip(f"no shared database recipe for {connection.vendor}")
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return url, lambda: Counter(Reminder.objects.values_list("status", flat=True))


def start_worker(db_url: str, mail_dir: Path, stall_at: int | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "1",
        "EMAIL_BACKEND": "prolo.clinic.tests.stalling_mail.StallingEmailBackend",
        "PROLO_TEST_MAIL_DIR": str(mail_dir),
    }
    env.pop("PROLO_TEST_STALL_AT", None)
    if stall_at is not None:
        env["PROLO_TEST_STALL_AT"] = str(stall_at)
    command = [sys.executable, "manage.py", "reminders", "--interval", "0.2", "--lease", "1"]
    command += ["--batch", "5", "--sync-every", "0", "--verbosity", "0"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def subjects(mail_dir: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for path in mail_dir.glob("*.eml"):
        found[str(email.message_from_bytes(path.read_bytes())["Subject"])] += 1
    return found


def test_each_due_reminder_is_sent_exactly_once_across_a_kill_and_restart(pat, tmp_path):
    due = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            patient=pat,
            kind=ReminderKind.SESSION,
            key=f"test-{n:02d}",
            due_at=due,
            to="pat@example.org",
            subject=f"Reminder {n:02d}",
            body="See you soon.",
        )
        for n in range(COUNT)
    )
    db_url, statuses = shared_database(tmp_path)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    first = start_worker(db_url, mail_dir, stall_at=STALL_AT)
    try:
        wait_for((mail_dir / "stalled").exists, 30, "the first worker to reach its stall point")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert sum(subjects(mail_dir).values()) == STALL_AT
    # Killed holding a claimed batch: those rows are SENDING with a lease, not lost.
    assert statuses()[ReminderStatus.SENDING] >= 1

    second = start_worker(db_url, mail_dir, stall_at=None)
    try:
        wait_for(lambda: not any(statuses()[s] for s in OPEN), 30, "every reminder to go")
    finally:
        second.send_signal(signal.SIGTERM)  # a graceful stop
        assert second.wait(10) == 0

    sent = subjects(mail_dir)
    assert sent == Counter({f"Reminder {n:02d}": 1 for n in range(COUNT)})
    assert statuses() == Counter({ReminderStatus.SENT: COUNT})
