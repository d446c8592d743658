"""A council's news in the workspace, mounted at workspace/<slug:slug>/news/: the list (CSV and XLSX), write,
edit, publish or schedule, take a scheduled item back, withdraw, delete a draft; images, the records an item is
about and the publications in the media. Every write is audited (the models are council-owned: councils.audit).

Sending an item to the media goes through the stakeholder registry's press office (core/press.py: its `media`
group and mail-outs through the outbox): this app keeps no contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from core.files import stored_file_download
from councils.workspace import (
    CouncilObjectMixin,
    WorkspaceActionView,
    WorkspaceListView,
    WorkspaceRemoveView,
    choice_labels,
)

from . import services
from .forms import ImageForm, LinkForm, MediaPublicationForm, NewsForm, PublishForm, SendToMediaForm, WithdrawForm
from .models import MediaPublication, NewsImage, NewsItem, NewsKind, NewsLink, NewsStatus
from .selectors import item_about, news_for_workspace

_kind, _status = choice_labels(NewsKind), choice_labels(NewsStatus)


class NewsListView(WorkspaceListView):
    model = NewsItem
    template_name = "workspace/news/list.html"
    export_name = "news"
    export_columns = (
        (
            gettext_lazy("Publication"),
            lambda i: timezone.localtime(i.publish_at).replace(tzinfo=None) if i.publish_at else "",
        ),
        (gettext_lazy("Kind"), lambda i: _kind(i.kind)),
        (gettext_lazy("Status"), lambda i: _status(i.status)),
        (gettext_lazy("Title (Russian)"), lambda i: i.title_ru),
        (gettext_lazy("Title (Kazakh)"), lambda i: i.title_kk),
        (gettext_lazy("Title (English)"), lambda i: i.title_en),
        (gettext_lazy("Reason for the withdrawal"), lambda i: i.withdrawal_reason),
    )

    def list_queryset(self):
        return news_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


class NewsDetailView(CouncilObjectMixin, generic.DetailView):
    model = NewsItem
    template_name = "workspace/news/detail.html"
    context_object_name = "item"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item: NewsItem = self.object
        now = timezone.now()
        context.update(
            now=now,
            is_public=item.status == NewsStatus.PUBLISHED and item.publish_at is not None and item.publish_at <= now,
            is_scheduled=item.status == NewsStatus.PUBLISHED and item.publish_at is not None and item.publish_at > now,
            images=item.images.order_by("position", "id"),
            about=item_about(item=item, public_only=False),
            media=item.media_publications.order_by("published_on", "id"),
            sent_to_media=services.news_sent_to_media(item=item),
            send_form=SendToMediaForm(council=self.council, instance=item),
        )
        return context


class _ItemAction(WorkspaceActionView):
    model = NewsItem
    template_name = "workspace/_form_page.html"
    cancel_url_name = "news_ws:detail"
    cancel_url_pk = "pk"
    success_url_name = "news_ws:detail"
    success_url_pk = "pk"


class NewsCreateView(WorkspaceActionView):
    form_class = NewsForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New news item")
    cancel_url_name = "news_ws:list"
    success_message = gettext_lazy("The item was saved as a draft.")
    success_url_name = "news_ws:detail"
    success_url_pk = "pk"

    def perform(self, form: NewsForm) -> NewsItem:
        return services.news_create(council=self.council, data=form.to_data())


class NewsUpdateView(_ItemAction):
    form_class = NewsForm
    page_title = gettext_lazy("Edit the news item")
    success_message = gettext_lazy("The item was saved.")

    def perform(self, form: NewsForm) -> NewsItem:
        return services.news_update(item=self.object, data=form.to_data())


class NewsPublishView(_ItemAction):
    form_class = PublishForm
    page_title = gettext_lazy("Publish the news item")
    success_message = gettext_lazy("The publication was set.")

    def perform(self, form: PublishForm) -> NewsItem:
        return services.news_publish(item=self.object, **form.to_data())


class NewsWithdrawView(_ItemAction):
    form_class = WithdrawForm
    page_title = gettext_lazy("Withdraw the news item")
    success_message = gettext_lazy("The item was withdrawn; its public page now says why.")

    def perform(self, form: WithdrawForm) -> NewsItem:
        return services.news_withdraw(item=self.object, **form.to_data())


class NewsSendToMediaView(_ItemAction):
    """One button on the item's page: the item to the council's media group (stakeholder registry), once."""

    form_class = SendToMediaForm
    page_title = gettext_lazy("Send to the media group")
    success_message = gettext_lazy("The item was queued for the council's media contacts.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["submit_label"] = gettext_lazy("Send")
        return context

    def perform(self, form: SendToMediaForm) -> NewsItem:
        services.news_send_to_media(item=self.object, by=self.request.user, **form.to_data())
        return self.object


class NewsImageAddView(_ItemAction):
    form_class = ImageForm
    page_title = gettext_lazy("Add an image")
    success_message = gettext_lazy("The image was added.")

    def perform(self, form: ImageForm) -> NewsItem:
        services.news_image_add(item=self.object, data=form.to_data())
        return self.object


class NewsLinkAddView(_ItemAction):
    form_class = LinkForm
    page_title = gettext_lazy("Link a record the item is about")
    success_message = gettext_lazy("The record was linked.")

    def perform(self, form: LinkForm) -> NewsItem:
        services.news_link_add(item=self.object, **form.to_data())
        return self.object


class MediaPublicationAddView(_ItemAction):
    form_class = MediaPublicationForm
    page_title = gettext_lazy("Add a publication in the media")
    success_message = gettext_lazy("The publication was recorded.")

    def perform(self, form: MediaPublicationForm) -> NewsItem:
        services.media_publication_add(item=self.object, data=form.to_data())
        return self.object


class _PostAction(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """POST only, for writers: one service call on the record, then the item's page (or the list), a refusal
    shown as a message."""

    http_method_names = ["post"]
    write_required = True
    done_message: Any = ""

    def act(self, record: Any) -> None:  # pragma: no cover - each view says what it does
        raise NotImplementedError

    def item_pk(self, record: Any) -> int | None:
        return int(record.item_id)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.get_object()
        item_pk = self.item_pk(record)
        try:
            self.act(record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("news_ws:detail", slug=self.council.slug, pk=item_pk or record.pk)
        messages.success(request, self.done_message)
        if item_pk is None:
            return redirect("news_ws:list", slug=self.council.slug)
        return redirect("news_ws:detail", slug=self.council.slug, pk=item_pk)


class NewsUnscheduleView(_PostAction):
    model = NewsItem
    done_message = gettext_lazy("The item is a draft again.")

    def item_pk(self, record: NewsItem) -> int | None:
        return record.pk

    def act(self, record: NewsItem) -> None:
        services.news_unschedule(item=record)


class NewsDeleteView(_PostAction):
    model = NewsItem
    done_message = gettext_lazy("The draft was deleted.")

    def item_pk(self, record: NewsItem) -> int | None:
        return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm") != "yes":
            messages.error(request, gettext_lazy("Tick the box to confirm the deletion."))
            return redirect("news_ws:detail", slug=self.council.slug, pk=self.get_object().pk)
        record = self.get_object()
        try:
            services.news_delete(item=record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("news_ws:detail", slug=self.council.slug, pk=record.pk)
        messages.success(request, self.done_message)
        return redirect("news_ws:list", slug=self.council.slug)


class _RemoveAction(WorkspaceRemoveView):
    """A «Remove» button: its own name and value say it was pressed (`remove=yes`)."""

    refused_message = gettext_lazy("Nothing was removed: use the «Remove» button.")
    back_url_name, back_url_pk = "news_ws:detail", "item_id"


class NewsImageDeleteView(_RemoveAction):
    model = NewsImage
    done_message = gettext_lazy("The image was removed.")

    def remove(self, record: NewsImage) -> None:
        services.news_image_delete(image=record)


class NewsLinkRemoveView(_RemoveAction):
    model = NewsLink
    done_message = gettext_lazy("The link was removed.")

    def remove(self, record: NewsLink) -> None:
        services.news_link_remove(link=record)


class MediaPublicationDeleteView(_RemoveAction):
    model = MediaPublication
    done_message = gettext_lazy("The publication was removed.")

    def remove(self, record: MediaPublication) -> None:
        services.media_publication_delete(publication=record)


class NewsImageFileView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """An image through the tenant gate: a draft's images are the staff's alone."""

    model = NewsImage
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        image = self.get_object()
        return stored_file_download(image.image, stem=f"{self.council.slug}-news-{image.pk}", private=True)
