"""factory_boy factories for every domain model, shared by all test folders.

Defaults make a valid record of the Almaty 2019 kind; pass what a test is about and let the rest default.
`SubFactory` parents are created in their own council unless the test passes `council=...`: where a record
refers to several council-scoped records, the factory keeps them in one council.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from appeals.models import Appeal, AppealStatus, ApplicantType, Category, Channel
from councils.models import (
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ConsultativeLevel,
    ConsultativeSeat,
    Convocation,
    Council,
    CouncilKind,
    CouncilStaff,
    ExpertAppointment,
    MemberRole,
    Membership,
    Memorandum,
    Partner,
    Person,
    StaffRole,
    StateBody,
    WorkPlanItem,
)
from hearings.models import AgendaItem, Meeting, MeetingKind, PublicHearing
from monitoring.models import (
    DraftActReview,
    DraftConclusion,
    MonitoringEvent,
    MonitoringParticipant,
    PublicityLink,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
)
from reports.models import ReportBuild

# ---- accounts -------------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", "not-a-real-password")


# ---- councils -------------------------------------------------------------------------------------------


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"council-{n}")
    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Общественный совет № {n}")
    kind = CouncilKind.CITY
    city = "Алматы"
    legal_basis = "Закон РК «Об общественных советах» от 2 ноября 2015 года № 383-V"
    website = "https://example.kz/"
    is_published = True


class ConvocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convocation

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.number} состав")
    start_date = dt.date(2019, 1, 1)
    end_date = None


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    convocation = factory.SubFactory(ConvocationFactory)
    council = factory.LazyAttribute(lambda o: o.convocation.council)
    key = factory.Sequence(lambda n: f"body-{n}")
    kind = BodyKind.COMMISSION
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Комиссия № {o.number}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"person-{n}")
    full_name = factory.Sequence(lambda n: f"Демо Член {n}")
    organisation = "ОО «Демо»"
    position = "председатель"
    email = factory.LazyAttribute(lambda o: f"{o.key}@example.kz")
    phone = "+7 701 000 00 00"
    is_demo = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    convocation = factory.SubFactory(ConvocationFactory)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..convocation.council"))
    affiliation = Affiliation.CIVIL_SOCIETY
    role = MemberRole.MEMBER
    start_date = factory.LazyAttribute(lambda o: o.convocation.start_date)
    end_date = None


class ExpertAppointmentFactory(factory.django.DjangoModelFactory):
    """An expert of the council: no membership, no affiliation."""

    class Meta:
        model = ExpertAppointment

    council = factory.SubFactory(CouncilFactory)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    start_date = dt.date(2019, 5, 16)
    end_date = None


class BodyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMembership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..body.council"))
    role = BodyRole.MEMBER


class StateBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateBody
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"state-body-{n}")
    name = factory.Sequence(lambda n: f"Управление № {n} города Алматы")
    city = "Алматы"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"Партнёр {n}")


class MemorandumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memorandum

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"memo-{n}")
    title = factory.Sequence(lambda n: f"Меморандум о сотрудничестве № {n}")
    partner = factory.SubFactory(PartnerFactory, council=factory.SelfAttribute("..council"))
    signed_on = dt.date(2019, 6, 1)
    is_demo = True


class WorkPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlanItem

    council = factory.SubFactory(CouncilFactory)
    year = 2019
    number = factory.Sequence(lambda n: n + 1)
    activity = "Заслушивание отчёта управления"


class ConsultativeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultativeSeat

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"cs-{n}")
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    body_name = factory.Sequence(lambda n: f"Комиссия № {n} по вопросам городского развития при акимате города Алматы")
    level = ConsultativeLevel.LOCAL
    start_date = dt.date(2019, 5, 1)
    is_demo = True


class CouncilStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilStaff

    user = factory.SubFactory(UserFactory, is_staff=True)
    council = factory.SubFactory(CouncilFactory)
    role = StaffRole.SECRETARY


# ---- hearings -------------------------------------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"meeting-{n}")
    kind = MeetingKind.COUNCIL
    title = "Заседание Общественного совета"
    date = dt.date(2019, 5, 15)
    is_demo = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    key = factory.Sequence(lambda n: f"item-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = "О работе управления"


class PublicHearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicHearing

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"hearing-{n}")
    topic = "Общественные слушания по генеральному плану"
    date = dt.date(2019, 9, 20)
    is_demo = True


# ---- monitoring -----------------------------------------------------------------------------------------


class MonitoringEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringEvent

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"monitoring-{n}")
    topic = "Мониторинг состояния парков"
    date = dt.date(2019, 4, 10)
    is_demo = True


class MonitoringParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringParticipant

    event = factory.SubFactory(MonitoringEventFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Участник {n}")


class PublicityLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicityLink

    event = factory.SubFactory(MonitoringEventFactory)
    position = factory.Sequence(lambda n: n)
    url = factory.Sequence(lambda n: f"https://example.kz/news/{n}")


class DraftActReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DraftActReview

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"draft-{n}")
    title = "Проект постановления акимата города Алматы"
    discussion_start = dt.date(2019, 3, 1)
    discussion_end = factory.LazyAttribute(lambda o: o.discussion_start + dt.timedelta(days=10))
    conclusion = DraftConclusion.APPROVED
    is_demo = True


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"rec-{n}")
    text = "Рекомендуется устранить нарушения"
    state_body = factory.SubFactory(StateBodyFactory)
    issued_on = dt.date(2019, 6, 1)
    sent_on = factory.LazyAttribute(lambda o: o.issued_on)
    response_due = factory.LazyAttribute(lambda o: o.issued_on + dt.timedelta(days=14))
    status = RecommendationStatus.SENT
    is_demo = True


class RecommendationResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationResponse

    recommendation = factory.SubFactory(RecommendationFactory)
    received_on = factory.LazyAttribute(lambda o: o.recommendation.issued_on + dt.timedelta(days=10))
    text = "Рекомендация принята к сведению"


# ---- appeals --------------------------------------------------------------------------------------------


class AppealFactory(factory.django.DjangoModelFactory):
    """An appeal with a unique number; `year` follows `registered_at` unless given."""

    class Meta:
        model = Appeal

    council = factory.SubFactory(CouncilFactory)
    registered_at = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime(2019, 3, 4, 10, 0), timezone.get_default_timezone())
    )
    year = factory.LazyAttribute(lambda o: timezone.localtime(o.registered_at).year)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.council.code}-{o.year}-{o.sequence:05d}")
    channel = Channel.WEB
    applicant_type = ApplicantType.INDIVIDUAL
    category = Category.ECOLOGY
    status = AppealStatus.REGISTERED
    applicant_name = "Демо Заявитель"
    email = "applicant@example.kz"
    subject = "Вырубка деревьев"
    text = "Текст обращения (демо)."
    personal_data_consent = True
    is_demo = True


# ---- reports --------------------------------------------------------------------------------------------


class ReportBuildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportBuild

    council = factory.SubFactory(CouncilFactory)
    year = 2019
    language = "ru"


# ---- library and outreach ---------------------------------------------------------------------------------


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "library.Document"

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"doc-{n}")
    title = factory.Sequence(lambda n: f"Отчёт о состоянии окружающей среды № {n}")
    kind = "report"
    topic = "water"
    language = "ru"
    published_on = dt.date(2019, 5, 14)
    source = "Департамент экологии по Атырауской области"
    url = "https://example.kz/report.pdf"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Consultation"

    council = factory.SubFactory(CouncilFactory)
    date = dt.date(2019, 6, 3)
    kind = "legal"
    channel = "in_person"
    topic = "pollution"
    outcome = "advice"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Training"

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"tr-{n}")
    kind = "seminar"
    title = factory.Sequence(lambda n: f"Семинар по Орхусской конвенции № {n}")
    date = dt.date(2019, 9, 12)
    audience = "ngos"
    participants = 25


# ---- the stakeholder registry ---------------------------------------------------------------------------------


class PartnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.PartnerProfile"

    partner = factory.SubFactory(PartnerFactory)
    category = "ngo"
    sector = "экология"
    region = "Алматы"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Contact"

    partner = factory.SubFactory(PartnerFactory)
    full_name = factory.Sequence(lambda n: f"Контакт Номер {n}")
    position = "директор"
    email = factory.Sequence(lambda n: f"contact{n}@example.kz")
    phone = "+7 701 000 00 00"


class MailingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.MailingGroup"

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Группа {n}")


class NewsItemFactory(factory.django.DjangoModelFactory):
    """A published statement of 2019 (news/): public, released."""

    class Meta:
        model = "news.NewsItem"

    council = factory.SubFactory(CouncilFactory)
    key = factory.Sequence(lambda n: f"news-{n}")
    kind = "statement"
    status = "published"
    publish_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2019, 5, 15, 10, 0)))
    released = True
    title_ru = factory.Sequence(lambda n: f"Заявление совета № {n}")
    body_ru = "Текст заявления."


class MediaPublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.MediaPublication"

    item = factory.SubFactory(NewsItemFactory)
    outlet = "Время"
    kind = "press"
    published_on = dt.date(2019, 5, 16)
    url = factory.Sequence(lambda n: f"https://example.kz/press/{n}")
