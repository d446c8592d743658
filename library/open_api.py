"""The open-data API: the library's published documents (the machinery: `core.open_api`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.open_api import CouncilSlugField, OpenDataViewSet, YearFilter, council_filter, register_list

from .models import Document, DocumentKind, DocumentLanguage, Topic
from .selectors import public_documents, search_documents


class DocumentSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    file_url = serializers.SerializerMethodField(help_text="The uploaded file's address; null when there is none.")

    class Meta:
        model = Document
        fields = [
            "id",
            "key",
            "council",
            "title",
            "summary",
            "kind",
            "topic",
            "language",
            "published_on",
            "source",
            "url",
            "file_url",
        ]

    def get_file_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        path = reverse("reports:library_document_file", args=[document.council.slug, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentFilter(filters.FilterSet):
    council = council_filter()
    year = YearFilter(field_name="published_on", lookup_expr="year")
    kind = filters.ChoiceFilter(choices=DocumentKind.choices)
    topic = filters.ChoiceFilter(choices=Topic.choices)
    language = filters.ChoiceFilter(choices=DocumentLanguage.choices)
    q = filters.CharFilter(
        method="filter_words",
        max_length=200,
        label="Words in the title, summary or source (Russian stemming; Kazakh words as written)",
    )

    class Meta:
        model = Document
        fields = ["council", "year", "kind", "topic", "language", "q"]

    def filter_words(self, queryset: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        return search_documents(queryset, value)


@extend_schema_view(
    list=extend_schema(
        summary="Library documents",
        description="Published documents of the councils' libraries: reports, manuals, monitoring data, EIA "
        "materials, laws and the councils' own publications, with a link and/or the uploaded file.",
        tags=["library"],
    ),
    retrieve=extend_schema(summary="One library document", tags=["library"]),
)
class DocumentViewSet(OpenDataViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = (
        "id",
        "key",
        "council",
        "title",
        "summary",
        "kind",
        "topic",
        "language",
        "published_on",
        "source",
        "url",
        "file_url",
    )

    def get_queryset(self) -> QuerySet[Document]:
        return public_documents()


register_list("library-documents", DocumentViewSet, basename="library-document")
