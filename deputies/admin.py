"""The admin: the public register (bodies, deputies, mandates) is the administrators' (SharedRecordAdmin); the NGO
monitors' records are scoped to the NGO (CouncilScopedAdmin, inlines scoped too)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import PortalRecordAdmin
from councils.admin import CouncilScopedAdmin, CouncilScopedTabularInline, SharedRecordAdmin

from .models import (
    Activity,
    Answer,
    Attendance,
    Ballot,
    BodyConvocation,
    Committee,
    Constituency,
    Deputy,
    DeputyOffice,
    InboundAnswer,
    Locality,
    Mandate,
    MonitoredBody,
    Party,
    Promise,
    Question,
    RepresentativeBody,
    Session,
    VoteEvent,
)


@admin.register(RepresentativeBody)
class RepresentativeBodyAdmin(SharedRecordAdmin):
    list_display = ["name", "level", "city", "seats", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["name_ru", "name_kk", "slug"]


@admin.register(BodyConvocation)
class BodyConvocationAdmin(SharedRecordAdmin):
    list_display = ["body", "number", "name", "start_date", "end_date"]


@admin.register(Locality)
class LocalityAdmin(SharedRecordAdmin):
    list_display = ["name", "city"]
    search_fields = ["name_ru", "name_kk"]


@admin.register(Constituency)
class ConstituencyAdmin(SharedRecordAdmin):
    list_display = ["body", "number", "name"]
    filter_horizontal = ["localities"]


@admin.register(Party)
class PartyAdmin(SharedRecordAdmin):
    list_display = ["name", "slug"]


@admin.register(Committee)
class CommitteeAdmin(SharedRecordAdmin):
    list_display = ["name", "body"]


@admin.register(Deputy)
class DeputyAdmin(SharedRecordAdmin):
    list_display = ["full_name", "slug", "is_demo"]
    search_fields = ["full_name_ru", "full_name_kk", "slug"]


@admin.register(Mandate)
class MandateAdmin(SharedRecordAdmin):
    list_display = ["deputy", "convocation", "constituency", "party", "post", "start_date", "end_date", "end_reason"]
    list_filter = ["post", "elected_by", "end_reason"]
    list_select_related = ["deputy", "convocation", "constituency", "party"]


@admin.register(DeputyOffice)
class DeputyOfficeAdmin(PortalRecordAdmin):
    list_display = ["user", "deputy"]


@admin.register(MonitoredBody)
class MonitoredBodyAdmin(CouncilScopedAdmin):
    list_display = ["council", "body"]


class AttendanceInline(CouncilScopedTabularInline):
    model = Attendance
    extra = 0


@admin.register(Session)
class SessionAdmin(CouncilScopedAdmin):
    list_display = ["date", "number", "body", "council", "status"]
    list_filter = ["status", "kind"]
    inlines = [AttendanceInline]


class BallotInline(CouncilScopedTabularInline):
    model = Ballot
    extra = 0


@admin.register(VoteEvent)
class VoteEventAdmin(CouncilScopedAdmin):
    list_display = ["motion", "session"]
    inlines = [BallotInline]


@admin.register(Activity)
class ActivityAdmin(CouncilScopedAdmin):
    list_display = ["date", "kind", "title", "deputy", "council", "status"]
    list_filter = ["kind", "status"]


@admin.register(Promise)
class PromiseAdmin(CouncilScopedAdmin):
    list_display = ["deputy", "rating", "status", "council"]
    list_filter = ["rating", "status"]


class AnswerInline(CouncilScopedTabularInline):
    model = Answer
    extra = 0


class InboundAnswerInline(CouncilScopedTabularInline):
    """Replies received by e-mail (deputies/inbound.py): moderated in the workspace, shown here for the record."""

    model = InboundAnswer
    extra = 0
    fields = ["received_at", "sender", "status", "attachments_dropped", "text"]
    readonly_fields = ["received_at", "sender", "attachments_dropped", "text"]


@admin.register(Question)
class QuestionAdmin(CouncilScopedAdmin):
    list_display = ["asked_at", "subject", "deputy", "status", "council"]
    list_filter = ["status"]
    exclude = ["mail_token"]  # the secret of the author's links
    inlines = [AnswerInline, InboundAnswerInline]
