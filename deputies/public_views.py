"""The public pages of the deputies app: bodies and their composition on a date, deputies with their record and
questions, a session with its roll calls, «who is my deputy», the comparison of the 16 cities and its
methodology, the code of conduct and the question form. Nothing personal of a question's author is shown."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.public_forms import SubmissionLimits, public_form_refusal

from . import pdf_builds, selectors, services
from .forms import QuestionForm
from .models import (
    PROJECT_CITIES,
    ActivityKind,
    Deputy,
    Locality,
    PromiseStatus,
    RepresentativeBody,
)

logger = logging.getLogger(__name__)


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _localities() -> list[tuple[str, list[Locality]]]:
    names = dict(PROJECT_CITIES)
    grouped: dict[str, list[Locality]] = {}
    for locality in Locality.objects.filter(constituencies__isnull=False).distinct().order_by("city", "name"):
        grouped.setdefault(locality.city, []).append(locality)
    return [(names.get(city, city), items) for city, items in grouped.items()]


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    bodies = RepresentativeBody.objects.order_by("level", "name")
    return render(request, "deputies/public/index.html", {"bodies": bodies, "localities": _localities()})


@require_http_methods(["GET", "HEAD"])
def who(request: HttpRequest) -> HttpResponse:
    """«Who is my deputy»: a locality → its constituencies → the deputies who hold them today."""
    raw = request.GET.get("locality", "")
    locality = Locality.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
    mandates = selectors.deputies_for_locality(locality=locality) if locality else []
    status = 200 if locality or not raw else 404
    return render(
        request,
        "deputies/public/who.html",
        {"locality": locality, "mandates": mandates, "localities": _localities(), "asked": bool(raw)},
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def body_page(request: HttpRequest, body_slug: str) -> HttpResponse:
    body = get_object_or_404(RepresentativeBody, slug=body_slug)
    today = timezone.localdate()
    notice = ""
    day = today
    raw = request.GET.get("date", "")
    if raw:
        try:
            day = dt.date.fromisoformat(raw[:10])
        except ValueError:
            notice = _("The date was not understood: the composition is shown as of today.")
    year = day.year
    composition = selectors.composition_on(body=body, day=day)
    sessions = selectors.published_sessions().filter(body=body, date__year=year).order_by("-date")
    context = {
        "body": body,
        "day": day,
        "notice": notice,
        "composition": composition,
        "party_list": sum(1 for m in composition if m.constituency_id is None),
        "single_member": sum(1 for m in composition if m.constituency_id is not None),
        "changes": selectors.changes_in(body=body, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)),
        "sessions": sessions,
        "figures": selectors.body_year_figures(body=body, year=year),
        "year": year,
    }
    return render(request, "deputies/public/body.html", context, status=400 if notice else 200)


@require_http_methods(["GET", "HEAD"])
def deputy_page(request: HttpRequest, deputy_slug: str) -> HttpResponse:
    deputy = get_object_or_404(Deputy, slug=deputy_slug)
    year = _year(request)
    present, marked = selectors.deputy_attendance(deputy=deputy, year=year)
    activities = selectors.published_activities().filter(deputy=deputy).order_by("-date")
    context = {
        "deputy": deputy,
        "mandate": selectors.current_mandate(deputy),
        "mandates": deputy.mandates.select_related("convocation__body", "constituency", "party").order_by(
            "-start_date"
        ),
        "year": year,
        "present": present,
        "marked": marked,
        "attendance_rate": round(100 * present / marked) if marked else None,
        "activities": activities,
        "inquiries": [a for a in activities if a.kind == ActivityKind.INQUIRY],
        "promises": selectors.published_promises().filter(deputy=deputy),
        "promise_statuses": PromiseStatus,
        "questions": selectors.published_questions().filter(deputy=deputy)[:50],
        "stats": selectors.response_stats(deputy=deputy),
        "asked": request.GET.get("asked") == "1",
        "can_ask": services.moderator_of(deputy) is not None,
    }
    return render(request, "deputies/public/deputy.html", context)


@require_http_methods(["GET", "HEAD"])
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.published_sessions().filter(pk=session_id).first()
    if session is None:
        raise Http404
    votes = [(vote, selectors.vote_tally(vote)) for vote in session.votes.all()]
    return render(request, "deputies/public/session.html", {"session": session, "votes": votes})


@require_http_methods(["GET", "HEAD"])
def compare(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    as_of = selectors.default_as_of(year)
    rows = selectors.city_comparison(year=year, as_of=as_of)
    return render(
        request,
        "deputies/public/compare.html",
        {"rows": rows, "year": year, "as_of": as_of, "statuses": PromiseStatus, "years": _years()},
    )


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def _pdf_or_pending(
    request: HttpRequest,
    *,
    document: pdf_builds.PdfSource,
    enqueue: Callable[[], object],
    filename: str,
    title: str,
) -> HttpResponse:
    """A PDF built by Celery (deputies/pdf_builds.py): served from the cache when built for the data as they now
    stand; else one build is asked for and the page says so (202, Retry-After). When no build can be asked for (the
    cache that holds the claims, or the broker, is down) or the build asked for is late (no worker takes it), this
    request builds it from the HTML it rendered: a promise of a document that no worker will make would stand for
    ever."""
    content = pdf_builds.cached(document.key)
    if content is None:
        if pdf_builds.claim(document.key):
            try:
                enqueue()
            except Exception:  # the broker is down
                logger.exception("could not queue the PDF build %s; building it in the request", document.key)
                content = document.build()  # frees the claim
            else:
                content = pdf_builds.cached(document.key)  # an eager or very quick worker
        elif not pdf_builds.under_way(document.key):  # the cache is down, the worker is late (or just done)
            content = document.build()
    if content is None:
        context = {"title": title, "again_url": request.path}
        response = render(request, "deputies/public/pdf_pending.html", context, status=202)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(content, content_type=pdf_builds.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def body_report(request: HttpRequest, body_slug: str, year: int) -> HttpResponse:
    """The body's annual monitoring report (deputies/report.py), as a PDF download built by Celery."""
    from . import report, tasks

    body = get_object_or_404(RepresentativeBody, slug=body_slug)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _pdf_or_pending(
        request,
        document=report.source(body=body, year=year, language=language),
        enqueue=lambda: tasks.build_body_report.delay(body.pk, year, language),
        filename=report.filename(body, year),
        title=_("Monitoring report: %(name)s, %(year)s") % {"name": body.name, "year": year},
    )


@require_http_methods(["GET", "HEAD"])
def code_of_conduct(request: HttpRequest) -> HttpResponse:
    return render(request, "deputies/public/code_of_conduct.html")


# The appeal form's limits (settings.OVERSIGHT), counted in a group of their own.
QUESTION_LIMITS = SubmissionLimits(
    group="deputy-question", per_ip="APPEAL_RATE_PER_IP", per_email="APPEAL_RATE_PER_EMAIL"
)


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, deputy_slug: str) -> HttpResponse:
    deputy = get_object_or_404(Deputy, slug=deputy_slug)
    if services.moderator_of(deputy) is None:
        raise Http404
    status, notice = 200, ""
    if request.method == "POST":
        form = QuestionForm(request.POST)
        refusal = public_form_refusal(request, form, limits=QUESTION_LIMITS)
        if refusal is not None:
            notice, status = refusal.notice, refusal.status
        elif form.is_valid():
            services.question_submit(
                deputy=deputy,
                data=form.to_data(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect(reverse("deputies:deputy", kwargs={"deputy_slug": deputy.slug}) + "?asked=1")
        else:
            status = 400
    else:
        form = QuestionForm()
    return render(
        request, "deputies/public/ask.html", {"deputy": deputy, "form": form, "notice": notice}, status=status
    )


# The author's links (deputies/notifications.py): the random token in the address is the proof. Never cached.
@require_http_methods(["GET", "HEAD"])
def author_confirm(request: HttpRequest, token: str) -> HttpResponse:
    question = services.author_email_confirm(token=token)
    if question is None:
        return render(request, "deputies/public/author_link.html", {"outcome": "invalid"}, status=404)
    return render(request, "deputies/public/author_link.html", {"outcome": "confirmed", "question": question})


# One click (GET), and mail programs' "Unsubscribe" button POSTs without a CSRF token (RFC 8058).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def author_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    question = services.author_mail_stop(token=token)
    if question is None:
        return render(request, "deputies/public/author_link.html", {"outcome": "invalid"}, status=404)
    return render(request, "deputies/public/author_link.html", {"outcome": "stopped", "question": question})


@require_http_methods(["GET", "HEAD"])
def national_summary(request: HttpRequest, year: int) -> HttpResponse:
    """The national summary PDF across the 16 cities (deputies/national.py), built by Celery."""
    from . import national, tasks

    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _pdf_or_pending(
        request,
        document=national.source(year=year, language=language),
        enqueue=lambda: tasks.build_national_summary.delay(year, language),
        filename=national.filename(year),
        title=_("Monitoring of maslikhat deputies: national summary, %(year)s") % {"year": year},
    )
