"""The deputy's office: an account scoped to one or more deputies (DeputyOffice) answers their published
questions. Another deputy's question is 404, as the tenant gate answers outsiders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import AnswerForm
from .models import Question, QuestionStatus


def _office_questions(request: HttpRequest):  # type: ignore[no-untyped-def]
    return (
        Question.objects.filter(deputy__offices__user_id=request.user.pk, status=QuestionStatus.PUBLISHED)
        .select_related("deputy", "answer")
        .order_by("published_at")
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    questions = list(_office_questions(request))
    if not questions and not request.user.deputy_offices.exists():  # type: ignore[union-attr]
        raise Http404
    waiting = [q for q in questions if not hasattr(q, "answer")]
    answered = [q for q in questions if hasattr(q, "answer")]
    return render(request, "deputies/office/inbox.html", {"waiting": waiting, "answered": answered})


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _office_questions(request).filter(pk=question_id).first()
    if question is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.question_answer(question=question, user=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                return redirect("deputies_office:inbox")
        else:
            status = 400
    else:
        form = AnswerForm()
    return render(request, "deputies/office/answer.html", {"question": question, "form": form}, status=status)
