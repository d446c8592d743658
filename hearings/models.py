"""Meetings with their agenda items, and public hearings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import PUBLIC_RECORD, personal
from core.personal_data import Category as PD
from councils.models import Body, Council, Person, StateBody
from councils.ownership import CouncilOwned

# A meeting lasts at most a day (24 hours) in the calendar.
MAX_DURATION_MINUTES = 1440


class MeetingKind(models.TextChoices):
    COUNCIL = "council", _("Council meeting")
    PRESIDIUM = "presidium", _("Presidium meeting")
    COMMISSION = "commission", _("Commission meeting")
    ROUND_TABLE = "round_table", _("Round table")
    SEMINAR = "seminar", _("Seminar")
    WORKING = "working", _("Working meeting")


class Meeting(models.Model):
    ownership = CouncilOwned("council")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    key = models.SlugField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("body"),
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    goal = models.TextField(_("goal"), blank=True)
    date = models.DateField(_("date"))
    # Optional: a meeting recorded with its date alone is an all-day event in the calendar feed. The time is
    # Almaty's wall-clock time (the portal's zone), the duration in minutes from it.
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    is_open = models.BooleanField(_("open to the public"), default=True)
    is_extended = models.BooleanField(_("extended"), default=False)
    # The count of those present. Since the names are kept (MeetingAttendance) it is set from them; a meeting
    # recorded before that keeps its count alone.
    attendance = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    minutes = models.FileField(_("minutes"), upload_to="minutes/%Y/", blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["-date", "kind"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="meeting_unique_key"),
            models.CheckConstraint(
                condition=Q(attendance__isnull=True) | Q(attendance__gte=0),
                name="meeting_attendance_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="meeting_duration_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "date"]),
            # The open-data list's order (open_api.py), so a page is read off the index at any size.
            models.Index(fields=["-date", "-id"], name="meeting_open_data_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}" + (f": {self.title}" if self.title else "")


class MeetingAttendance(models.Model):
    """One person ticked present at a meeting: the names behind `Meeting.attendance`, kept so that the quorum
    can be checked again against the members on the meeting's date (which may have been corrected since)."""

    ownership = CouncilOwned(
        "meeting__council",
        audit=False,
        page_cache=False,
        why_not="the ticks behind Meeting.attendance, saved with it: the meeting's trail and bump cover them",
    )

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    # PROTECT: a person who attended a meeting is part of its record and is not deleted from under it.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meetings_attended")

    class Meta:
        ordering = ["meeting", "person__full_name", "person_id"]
        verbose_name = _("meeting attendee")
        verbose_name_plural = _("meeting attendees")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class AgendaItemKind(models.TextChoices):
    ORGANISATIONAL = "organisational", _("Organisational")
    REPORT_HEARING = "report_hearing", _("Hearing a state body's report")
    DRAFT_REVIEW = "draft_review", _("Draft act review")
    MONITORING_RESULTS = "monitoring_results", _("Monitoring results")
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
    ownership = CouncilOwned("meeting__council")
    personal_data_processing = PUBLIC_RECORD
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    key = models.SlugField(_("key"), max_length=64)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.OTHER)
    state_body = models.ForeignKey(
        StateBody, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    # Names, published with the meeting's record by design (core/personal_data.py).
    speakers = personal(
        models.TextField(_("speakers"), blank=True),
        category=PD.IDENTITY,
        subject=_("speaker at a council meeting"),
        purpose=_("to publish the record of the council's meetings"),
        public=True,
    )
    decision = models.TextField(_("decision"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number"),
            models.UniqueConstraint(fields=["meeting", "key"], name="agenda_item_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"


class HearingKind(models.TextChoices):
    """Which rule a hearing's notice and comment window follow (participation/rules.py holds the minimums)."""

    GENERAL = "general", _("Public hearing of the council")
    EIA = "eia", _("Environmental impact assessment hearing")


class PublicHearing(models.Model):
    """A public hearing (общественные слушания) and its resolution. A hearing open for comment (an EIA hearing,
    or any the council opens) has its project, operator, notice date and comment window; the comments,
    registrations and documents are the participation app's."""

    ownership = CouncilOwned("council")

    personal_data_processing = PUBLIC_RECORD

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="public_hearings")
    key = models.SlugField(_("key"), max_length=64)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    topic = models.TextField(_("topic"))
    date = models.DateField(_("date"))
    organiser = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("organiser"),
    )
    participants = personal(
        models.TextField(_("participants"), blank=True),
        category=PD.IDENTITY,
        subject=_("participant in public control"),
        purpose=_("to publish who took part in the council's public control"),
        public=True,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    kind = models.CharField(_("kind of hearing"), max_length=16, choices=HearingKind.choices, default="general")
    project = models.TextField(_("project"), blank=True)
    # The initiator of the planned activity: a company, not a person.
    operator = models.CharField(_("operator"), max_length=255, blank=True)
    notice_date = models.DateField(_("notice published on"), null=True, blank=True)
    comments_open = models.DateField(_("comments open on"), null=True, blank=True)
    comments_close = models.DateField(_("comments close on"), null=True, blank=True)
    # The day the record (each comment with the council's answer, and the protocol) was published.
    record_published_on = models.DateField(_("record published on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="public_hearing_unique_key"),
            models.CheckConstraint(
                condition=Q(comments_open__isnull=True)
                | Q(comments_close__isnull=True)
                | Q(comments_close__gte=F("comments_open")),
                name="public_hearing_comment_window_ordered",
            ),
        ]
        # The open-data list's order (open_api.py), so a page is read off the index at any size.
        indexes = [models.Index(fields=["-date", "-id"], name="hearing_open_data_order")]

    def __str__(self) -> str:
        return self.topic[:100]
