"""The patient portal's records: accounts and invitations, consent, articles, shared documents,
the calendar feed and email reminders. See docs/portal.md.

A patient's portal account is a User with a PatientAccount and no clinic Membership, so the
staff pages refuse it; the portal's own access helpers scope every query to that one patient.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.courses import CourseType, TreatmentCourse
from prolo.clinic.models.patients import Language, Patient

TOKEN_HASH_LENGTH = 64  # hex SHA-256


class PatientAccount(models.Model):
    """A patient's sign-in, and what they chose in the accessibility toolbar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_account"
    )
    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="account")
    # {"text_size": 100..200, "contrast": bool, "dyslexia_font": bool, "spacing": bool,
    #  "underline_links": bool, "reduce_motion": bool}: see prolo/portal/preferences.py.
    preferences = models.JSONField(default=dict, blank=True)
    # The calendar feed's secret: only its hash is kept; the URL is shown once when made.
    feed_token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, blank=True, db_index=True)
    feed_created_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Portal account of {self.patient}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a patient set a password. Only its hash is kept."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.patient}"


class SignInAttempt(models.Model):
    """Recent portal sign-in attempts, counted to slow down password guessing."""

    identifier = models.CharField(max_length=254, help_text="The email address tried.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["identifier", "at"]), models.Index(fields=["ip", "at"])]


class ConsentDocument(models.Model):
    """One version of a clinic's consent text for a course type; published versions are frozen."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="consent_documents")
    course_type = models.CharField(max_length=20, choices=CourseType.choices)
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.ENGLISH)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    # Markdown, one section per heading: what it is, how it may help, the expected course,
    # common and rare risks, alternatives (and that it is not first-line), the right to stop,
    # the disclaimer. docs/portal.md lists the sections a document must have.
    body = models.TextField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course_type", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "course_type", "language", "version"],
                name="consent_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", "Signed in the portal"
    IN_CLINIC = "in_clinic", "Signed in clinic"


class Consent(models.Model):
    """A patient's signature on one version of a consent document, for one course."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    course = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=200)
    confirmed = models.BooleanField(help_text="The patient confirmed they read and agree.")
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    signed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(confirmed=True), name="consent_confirmed"),
        ]

    def __str__(self) -> str:
        return f"Consent of {self.patient} to {self.document}"


class Article(models.Model):
    """A clinic-editable education article in Markdown; defaults ship in English and Spanish."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="articles")
    slug = models.SlugField(max_length=60)
    language = models.CharField(max_length=10, choices=Language.choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown.")
    position = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "slug", "language"], name="article_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SharedDocument(models.Model):
    """An instruction sheet or letter the clinic shares with one patient."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="shared_documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="shared/%Y/%m/")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReminderKind(models.TextChoices):
    SESSION = "session", "Session reminder"
    STOP_NSAIDS = "stop_nsaids", "Stop anti-inflammatories"
    QUESTIONNAIRE = "questionnaire", "Questionnaire due"
    INVITATION = "invitation", "Portal invitation"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    """One email to send once at `due_at`; claimed by the worker (prolo/clinic/worker.py).

    `key` makes scheduling idempotent: the same reminder is never queued twice.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=120, unique=True)
    due_at = models.DateTimeField()
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} at {self.due_at}"
