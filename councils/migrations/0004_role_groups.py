"""The three role groups of council staff, with their model permissions.

The tenant gate (councils.access) decides *which council* a user may touch; these groups decide *what* the admin
lets them do there. `councils.services.council_staff_grant` keeps a user's groups in step with their roles.
Permissions are created here first, since Django only creates them after all migrations have run.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Secretary", "Chair", "Member")

# The council's working records: secretaries keep them, chairs edit but do not delete, members read.
RECORDS = {
    "councils": ("convocation", "body", "person", "membership", "bodymembership", "partner", "memorandum",
                 "workplanitem"),
    "hearings": ("meeting", "agendaitem", "publichearing"),
    "monitoring": ("monitoringevent", "monitoringparticipant", "publicitylink", "draftactreview",
                   "recommendation", "recommendationresponse", "informationrequest", "informationrequestresponse"),
}
# Append-only logs: added to, never edited.
LOGS = {
    "monitoring": ("recommendationstatuschange", "informationrequeststatuschange"),
    "appeals": ("appealstatuschange", "appealmessage", "appealattachment"),
}
# Registered appeals keep their numbers: never deleted.
KEPT = {"appeals": ("appeal",), "councils": ("statebody",)}
# The council's own settings (its terms) are changed by its staff; its roles only by the portal administrator.
OWN = {"councils": ("council",)}
READ_ONLY = {"councils": ("councilstaff",)}


def _grants(role):
    write = ("add", "change", "delete") if role == "Secretary" else ("add", "change")
    if role == "Member":
        write = ()
    grants = []
    for table, actions in (
        (RECORDS, write),
        (LOGS, ("add",) if write else ()),
        (KEPT, tuple(a for a in write if a != "delete")),
        (OWN, ("change",) if write else ()),
        (READ_ONLY, ()),
    ):
        for app_label, models in table.items():
            for model in models:
                for action in ("view", *actions):
                    grants.append((app_label, f"{action}_{model}"))
    return grants


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        wanted = _grants(name)
        permissions = [
            p
            for p in Permission.objects.filter(
                content_type__app_label__in={a for a, _c in wanted}, codename__in={c for _a, c in wanted}
            ).select_related("content_type")
            if (p.content_type.app_label, p.codename) in set(wanted)
        ]
        missing = set(wanted) - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions not found for the {name} group: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("councils", "0003_history"),
        ("hearings", "0002_history"),
        ("monitoring", "0003_history"),
        ("appeals", "0004_history"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
