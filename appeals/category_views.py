"""The council's lists of appeal categories and of districts and towns, in the workspace (the secretary edits
them; every member reads them). One recipe: the gate, the form, the service in appeals/categories.py, a redirect."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from django.views import generic

from councils.workspace import CouncilScopedMixin, WorkspaceActionView

from . import categories
from .models import AppealCategory, Category, Locality
from .staff_forms import AppealCategoryForm, LocalityForm


class CategoryListView(CouncilScopedMixin, generic.TemplateView):
    template_name = "appeals/staff/categories.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        own = categories.council_categories(council=self.council)
        context["categories"] = own
        context["national"] = [] if own else Category.choices
        context["localities"] = categories.council_localities(council=self.council)
        return context


class CategoryCreateView(WorkspaceActionView):
    form_class = AppealCategoryForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Add a category of appeals")
    cancel_url_name = "appeals_staff:categories"
    success_url_name = "appeals_staff:categories"
    success_message = gettext_lazy("The category is added.")

    def perform(self, form: AppealCategoryForm) -> AppealCategory:
        return categories.appeal_category_create(council=self.council, data=form.to_data())


class CategoryEditView(WorkspaceActionView):
    model = AppealCategory
    form_class = AppealCategoryForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit a category of appeals")
    cancel_url_name = "appeals_staff:categories"
    success_url_name = "appeals_staff:categories"
    success_message = gettext_lazy("The category is saved.")

    def perform(self, form: AppealCategoryForm) -> AppealCategory:
        return categories.appeal_category_update(category=self.object, data=form.to_data())


class LocalityCreateView(WorkspaceActionView):
    form_class = LocalityForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Add a district or town")
    cancel_url_name = "appeals_staff:categories"
    success_url_name = "appeals_staff:categories"
    success_message = gettext_lazy("The district or town is added.")

    def perform(self, form: LocalityForm) -> Locality:
        return categories.locality_create(council=self.council, data=form.to_data())


class LocalityEditView(WorkspaceActionView):
    model = Locality
    form_class = LocalityForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit a district or town")
    cancel_url_name = "appeals_staff:categories"
    success_url_name = "appeals_staff:categories"
    success_message = gettext_lazy("The district or town is saved.")

    def perform(self, form: LocalityForm) -> Locality:
        return categories.locality_update(locality=self.object, data=form.to_data())
