"""The reminder worker: claims due Reminder rows from the database and emails each once.

Run by `manage.py reminders` (bin/run starts it beside the web server). No queue server: the
rows are the queue. One pass:

1. claim: in one short transaction, take up to `batch` rows that are PENDING and due, or
   SENDING with an expired lease (their worker died), and mark them SENDING with this
   worker's name and a lease. PostgreSQL skips rows another worker has locked
   (SELECT … FOR UPDATE SKIP LOCKED); SQLite's IMMEDIATE transactions (prolo/settings.py)
   let one writer in at a time, so two workers never claim the same row.
2. send each with Django's email backend (console by default, SMTP from settings), and mark
   it SENT straight after, in its own autocommit UPDATE, only while we still hold the lease.
   A failure puts it back to PENDING with a backoff and the error; after MAX_ATTEMPTS it is
   FAILED and stays for the clinic to see.

Exactly once, and the one gap left. A worker killed after claiming but before sending leaves
SENDING rows that another run reclaims when the lease ends, so nothing is lost or sent twice.
A worker killed after the mail server accepted a message but before the UPDATE that marks it
SENT commits leaves a row that will be sent again: no email protocol lets a sender make
"hand over" and "record" one atomic step. The gap is kept to that single UPDATE, and every
message carries a Message-ID made from the reminder, so a receiving server that drops
duplicate IDs hides even that.

The same loop also runs FHIR Bulk export jobs (services/bulk_export.py) that no web process
is running: ones whose thread never started, and ones whose lease ran out because their
process died. A job runs in a thread of its own so reminders keep going during a long export;
`--once` runs them inline.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from prolo.clinic.models import Reminder, ReminderStatus
from prolo.clinic.services import bulk_export
from prolo.clinic.services.reminders import reminders_sync_all

log = logging.getLogger("prolo.reminders")

MAX_ATTEMPTS = 5
DEFAULT_LEASE = dt.timedelta(minutes=5)
DEFAULT_BATCH = 20
MAX_INLINE_EXPORTS = 20


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 minutes after the 1st … 4th failure."""
    return dt.timedelta(minutes=4 ** max(attempts - 1, 0))


def _claimable(now: dt.datetime) -> Q:
    due = Q(status=ReminderStatus.PENDING, due_at__lte=now)
    abandoned = Q(status=ReminderStatus.SENDING, claimed_until__lt=now)
    return due | abandoned


@transaction.atomic
def claim(*, worker: str, now: dt.datetime, lease: dt.timedelta, limit: int) -> list[Reminder]:
    """Mark up to `limit` due rows SENDING for `worker` and return them."""
    rows = Reminder.objects.filter(_claimable(now)).order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    ids = list(rows.values_list("id", flat=True)[:limit])
    if not ids:
        return []
    # Conditional: a row someone else claimed in between (not possible under the lock, but
    # cheap to state) is left alone. A reclaimed row counts as an attempt: a message that
    # kills its worker every time must not be retried for ever.
    Reminder.objects.filter(_claimable(now), id__in=ids).update(
        status=ReminderStatus.SENDING,
        claimed_by=worker,
        claimed_until=now + lease,
        attempts=F("attempts") + 1,
    )
    return list(
        Reminder.objects.filter(id__in=ids, claimed_by=worker, status=ReminderStatus.SENDING)
    )


def _message(reminder: Reminder) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "prolo"
    return EmailMessage(
        subject=reminder.subject,
        body=reminder.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.to],
        headers={"Message-ID": f"<reminder-{reminder.pk}-{reminder.key}@{domain}>"},
    )


def _mine(reminder: Reminder, worker: str) -> Q:
    return Q(pk=reminder.pk, claimed_by=worker, status=ReminderStatus.SENDING)


def send_one(reminder: Reminder, *, worker: str) -> bool:
    """Send a claimed reminder and record the outcome; True if it went."""
    if reminder.attempts > MAX_ATTEMPTS:
        _fail(reminder, worker, "Gave up: the worker stopped while sending it too many times.")
        return False
    try:
        _message(reminder).send(fail_silently=False)
    except Exception as exc:  # any backend error: SMTP, DNS, a full disk for the file backend
        _retry(reminder, worker, f"{type(exc).__name__}: {exc}")
        return False
    Reminder.objects.filter(_mine(reminder, worker)).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    log.info("reminder sent id=%s kind=%s", reminder.pk, reminder.kind)  # no address in logs
    return True


def _retry(reminder: Reminder, worker: str, error: str) -> None:
    if reminder.attempts >= MAX_ATTEMPTS:
        _fail(reminder, worker, error)
        return
    Reminder.objects.filter(_mine(reminder, worker)).update(
        status=ReminderStatus.PENDING,
        due_at=timezone.now() + backoff(reminder.attempts),
        claimed_by="",
        claimed_until=None,
        last_error=error[:2000],
    )
    log.warning("reminder failed id=%s attempt=%s: %s", reminder.pk, reminder.attempts, error)


def _fail(reminder: Reminder, worker: str, error: str) -> None:
    Reminder.objects.filter(_mine(reminder, worker)).update(
        status=ReminderStatus.FAILED, claimed_until=None, last_error=error[:2000]
    )
    log.error("reminder gave up id=%s after %s attempts: %s", reminder.pk, reminder.attempts, error)


def release(ids: list[int], *, worker: str) -> int:
    """Hand claimed rows we will not send back to the queue (a graceful stop)."""
    return Reminder.objects.filter(
        id__in=ids, claimed_by=worker, status=ReminderStatus.SENDING
    ).update(
        status=ReminderStatus.PENDING,
        claimed_by="",
        claimed_until=None,
        attempts=F("attempts") - 1,
    )


@dataclass
class Worker:
    """The loop: sync now and then, claim, send, sleep; stops cleanly when told to."""

    interval: float = 5.0
    lease: dt.timedelta = DEFAULT_LEASE
    batch: int = DEFAULT_BATCH
    sync_every: float = 600.0  # seconds; 0 turns the sync pass off
    name: str = field(default_factory=worker_name)
    stopping: threading.Event = field(default_factory=threading.Event)
    now: Callable[[], dt.datetime] = timezone.now
    # Run export jobs in this thread (--once) rather than one background thread at a time.
    exports_inline: bool = False
    _last_sync: float | None = field(default=None, init=False)
    _export_thread: threading.Thread | None = field(default=None, init=False)

    def stop(self, *_args: object) -> None:
        self.stopping.set()

    def run_once(self) -> int:
        """One pass; returns how many reminders were sent."""
        self._maybe_sync()
        sent = self._send_due()
        self._run_exports()
        return sent

    def drain(self) -> int:
        """Passes until nothing due is left (`manage.py reminders --once`)."""
        total = sent = self.run_once()
        while sent and not self.stopping.is_set():
            sent = self.run_once()
            total += sent
        return total

    def run(self) -> None:
        log.info("reminder worker %s started", self.name)
        while not self.stopping.is_set():
            # A long-lived process has no request cycle to drop stale or broken connections.
            close_old_connections()
            sent = self.run_once()
            close_old_connections()
            if sent < self.batch:  # a full batch means more may be waiting: go straight on
                self.stopping.wait(self.interval)
        log.info("reminder worker %s stopped", self.name)

    def _run_exports(self) -> None:
        """Start (or, inline, run) the oldest export job nobody is running, if any."""
        bulk_export.expire_finished(self.now())
        if self._export_thread is not None and self._export_thread.is_alive():
            return
        job_id = bulk_export.next_claimable(self.now())
        if job_id is not None and not self.exports_inline:
            self._export_thread = bulk_export.start_thread(job_id)
            return
        # Inline: every waiting job (a failed one is marked so and not picked again).
        for _ in range(MAX_INLINE_EXPORTS):
            if job_id is None:
                break
            bulk_export.run_job(job_id)
            job_id = bulk_export.next_claimable(self.now())

    def _maybe_sync(self) -> None:
        if not self.sync_every:
            return
        clock = self.now().timestamp()
        if self._last_sync is not None and clock - self._last_sync < self.sync_every:
            return
        self._last_sync = clock
        result = reminders_sync_all(self.now())
        if result.created or result.updated or result.cancelled:
            log.info(
                "reminders synced: %s new, %s changed, %s cancelled",
                result.created,
                result.updated,
                result.cancelled,
            )

    def _send_due(self) -> int:
        claimed = claim(worker=self.name, now=self.now(), lease=self.lease, limit=self.batch)
        sent = 0
        for index, reminder in enumerate(claimed):
            if self.stopping.is_set():
                release([r.pk for r in claimed[index:]], worker=self.name)
                break
            sent += send_one(reminder, worker=self.name)
        return sent
