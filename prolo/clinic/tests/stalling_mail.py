"""Email backends for the reminder worker's tests.

`StallingEmailBackend` writes each message to its own file in $PROLO_TEST_MAIL_DIR, like
Django's file backend; when $PROLO_TEST_STALL_AT is N it hangs before writing message N+1 and
says so in a `stalled` file, so a test can kill the worker at that exact point (after it
claimed the message, before it sent it). `BrokenEmailBackend` fails every send.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class StallingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["PROLO_TEST_MAIL_DIR"])
        stall_at = os.environ.get("PROLO_TEST_STALL_AT")
        for message in email_messages:
            if stall_at is not None and len(list(folder.glob("*.eml"))) >= int(stall_at):
                (folder / "stalled").write_text(str(os.getpid()))
                time.sleep(600)  # until the test kills us
            target = folder / f"{uuid.uuid4().hex}.eml"
            partial = target.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(target)  # a message is in the folder whole or not at all
        return len(email_messages)


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("the mail server is down")
