"""The open-data API: the organisations of the councils' stakeholder registries (the machinery: `core.open_api`).
Contact people are never in it: their names, addresses and phones stay in the workspace."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core import languages
from core.open_api import CouncilSlugField, OpenDataViewSet, council_filter, register_list
from councils.models import Partner, PartnerKind

from .models import CATEGORY_OF_KIND, OrganisationCategory
from .selectors import public_organisations

NAMES = languages.columns("name")


def _profile_value(partner: Partner, attribute: str) -> str:
    profile = getattr(partner, "stakeholder_profile", None)
    return str(getattr(profile, attribute)) if profile is not None else ""


class OrganisationSerializer(serializers.ModelSerializer):
    council = CouncilSlugField()
    category = serializers.SerializerMethodField()
    sector = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ["id", "key", "council", "name", *NAMES, "kind", "category", "sector", "region", "website"]

    @extend_schema_field(serializers.ChoiceField(choices=OrganisationCategory.choices))
    def get_category(self, partner: Partner) -> str:
        profile = getattr(partner, "stakeholder_profile", None)
        if profile is not None:
            return str(profile.category)
        return str(CATEGORY_OF_KIND.get(PartnerKind(partner.kind), OrganisationCategory.OTHER))

    def get_sector(self, partner: Partner) -> str:
        return _profile_value(partner, "sector")

    def get_region(self, partner: Partner) -> str:
        return _profile_value(partner, "region")


class OrganisationFilter(filters.FilterSet):
    council = council_filter()
    category = filters.ChoiceFilter(field_name="stakeholder_profile__category", choices=OrganisationCategory.choices)
    kind = filters.ChoiceFilter(choices=PartnerKind.choices)

    class Meta:
        model = Partner
        fields = ["council", "category", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="Organisations the councils work with",
        description=(
            "State bodies, quasi-state and extractive companies, NGOs, media and academia in the councils' "
            "stakeholder registries, with their sector and region. Contact people are never published."
        ),
        tags=["stakeholders"],
    ),
    retrieve=extend_schema(summary="One organisation", tags=["stakeholders"]),
)
class OrganisationViewSet(OpenDataViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_value_regex = r"[0-9]+"
    csv_columns = ("id", "key", "council", "name", *NAMES, "kind", "category", "sector", "region", "website")

    def get_queryset(self) -> QuerySet[Partner]:
        return public_organisations()


register_list("organisations", OrganisationViewSet, basename="organisation")
