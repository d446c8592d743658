from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The public register every NGO monitor and the public share: offered in forms to everyone, written by
# administrators only (councils.access.SHARED_MODELS).
SHARED_REGISTER = (
    "deputies.RepresentativeBody",
    "deputies.BodyConvocation",
    "deputies.Locality",
    "deputies.Constituency",
    "deputies.Party",
    "deputies.Committee",
    "deputies.Deputy",
    "deputies.Mandate",
)


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from core.dashboard import register_panel
        from councils.access import register_shared_models

        from . import notifications  # noqa: F401 - registers the outbox handlers
        from .dashboard import dashboard_panel

        register_shared_models(*SHARED_REGISTER)
        register_panel("deputies", dashboard_panel)
