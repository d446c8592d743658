"""The open-data API: the councils' published news, press releases and statements, with their images, the
records they are about and the publications in the media (the machinery: `core.open_api`). A draft, an item
scheduled for later and a withdrawn one are not in it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import MediaPublication, NewsImage, NewsItem, NewsKind, NewsLink
from .selectors import public_news


def _absolute(serializer: serializers.BaseSerializer[Any], path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class NewsImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The image's address.")

    class Meta:
        model = NewsImage
        fields = ["url", "width", "height", "alt_ru", "alt_kk", "alt_en"]

    def get_url(self, image: NewsImage) -> str:
        return _absolute(self, reverse("reports:news_image", args=[image.item.council.slug, image.pk]))


class NewsRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = NewsLink
        fields = ["kind", "object_id"]


class MediaPublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaPublication
        fields = ["outlet", "kind", "published_on", "url"]


class NewsItemSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    page_url = serializers.SerializerMethodField(help_text="The item's public page.")
    images = NewsImageSerializer(many=True, read_only=True)
    records = NewsRecordSerializer(source="links", many=True, read_only=True)
    media_publications = MediaPublicationSerializer(many=True, read_only=True)

    class Meta:
        model = NewsItem
        fields = [
            "id",
            "key",
            "council",
            "kind",
            "publish_at",
            "title_ru",
            "title_kk",
            "title_en",
            "body_ru",
            "body_kk",
            "body_en",
            "page_url",
            "images",
            "records",
            "media_publications",
        ]

    def get_page_url(self, item: NewsItem) -> str:
        return _absolute(self, reverse("reports:news_item", args=[item.council.slug, item.pk]))


class NewsItemFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="publish_at", lookup_expr="year")
    kind = filters.ChoiceFilter(choices=NewsKind.choices)

    class Meta:
        model = NewsItem
        fields = ["council", "year", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="News and statements",
        description="Published news, press releases and statements of the councils, newest first, in Russian and, "
        "where the council wrote them, Kazakh and English (an empty translation is an empty string); with their "
        "images, the records they are about (kind and id) and the publications in the media that took them up.",
        tags=["news"],
    ),
    retrieve=extend_schema(summary="One news item", tags=["news"]),
)
class NewsItemViewSet(OpenDataViewSet):
    serializer_class = NewsItemSerializer
    filterset_class = NewsItemFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "key",
        "council",
        "kind",
        "publish_at",
        "title_ru",
        "title_kk",
        "title_en",
        "body_ru",
        "body_kk",
        "body_en",
        "page_url",
        "images.url",
        "media_publications.url",
    )

    def get_queryset(self) -> QuerySet[NewsItem]:
        return public_news().prefetch_related(
            Prefetch("links", queryset=NewsLink.objects.order_by("kind", "object_id")),
            Prefetch("media_publications", queryset=MediaPublication.objects.order_by("published_on", "id")),
        )


register_list("news", NewsItemViewSet, basename="news-item")
