"""A council's news: scheduled publication, withdrawal's tombstone, images checked by content, texts in the
reader's language, feeds, the open API, the workspace's scope and audit, and the media counted in the stats."""

from __future__ import annotations

import datetime as dt
import io

import feedparser
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news import services
from news.models import NewsImage, NewsItem, NewsStatus
from reports.rendering import report_sections
from reports.selectors import council_year_stats
from tests import factories as f
from tests.news.images import image_bytes, jpeg_with_gps, png_upload
from tests.portal.rfc4287 import atom_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _item(council, **overrides) -> NewsItem:
    data = {
        "kind": "statement",
        "title_ru": "Общественный совет города Алматы за честные выборы",
        "body_ru": "Текст заявления на русском.",
        "title_kk": "Алматы қаласының Қоғамдық кеңесі адал сайлау үшін",
        "body_kk": "Мәлімдеменің қазақша мәтіні.",
    }
    data.update(overrides)
    return services.news_create(council=council, data=services.NewsData(**data))


def _published(council, *, ago=dt.timedelta(hours=1), **overrides) -> NewsItem:
    item = _item(council, **overrides)
    return services.news_publish(item=item, publish_at=timezone.now() - ago)


def _detail(item, language="ru"):
    return Client().get(f"/{language}/councils/{item.council.slug}/news/{item.pk}/")


# ---- scheduled publication --------------------------------------------------------------------------------------


def test_a_scheduled_item_is_nowhere_public_before_its_moment(personas):
    council = personas.council
    list_url = f"/ru/councils/{council.slug}/news/"
    assert Client().get(list_url).status_code == 200  # the list is cached now, without the item
    item = services.news_publish(item=_item(council), publish_at=timezone.now() + dt.timedelta(days=1))

    assert _detail(item).status_code == 404
    assert "честные выборы" not in Client().get(list_url).content.decode()
    assert "честные выборы" not in Client().get("/ru/news/").content.decode()
    assert "честные выборы" not in Client().get(f"/ru/councils/{council.slug}/news/feed/").content.decode()
    assert "честные выборы" not in Client().get(f"/ru/councils/{council.slug}/feed/").content.decode()
    assert Client().get("/api/v1/news/").json()["count"] == 0
    assert "честные выборы" not in Client().get("/sitemap.xml").content.decode()
    assert services.news_release_due() == 0


def test_a_scheduled_item_appears_when_its_moment_comes_even_on_cached_pages(
    personas, django_capture_on_commit_callbacks
):
    council = personas.council
    item = services.news_publish(item=_item(council), publish_at=timezone.now() + dt.timedelta(minutes=5))
    list_url = f"/ru/councils/{council.slug}/news/"
    assert "честные выборы" not in Client().get(list_url).content.decode()  # cached without it

    # The moment passes (no one edits anything): the minute's task leaves the cached pages behind.
    NewsItem.objects.filter(pk=item.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.news_release_due() == 1
    assert services.news_release_due() == 0  # compare-and-swap: a second run releases nothing

    assert "честные выборы" in Client().get(list_url).content.decode()
    assert _detail(item).status_code == 200


def test_a_scheduled_item_can_go_back_to_a_draft_but_a_public_one_cannot(personas):
    scheduled = services.news_publish(item=_item(personas.council), publish_at=timezone.now() + dt.timedelta(days=1))
    assert services.news_unschedule(item=scheduled).status == NewsStatus.DRAFT

    public = _published(personas.council)
    with pytest.raises(ValidationError):
        services.news_unschedule(item=public)
    with pytest.raises(ValidationError):
        services.news_delete(item=public)


# ---- withdrawal -------------------------------------------------------------------------------------------------


def test_a_withdrawn_item_keeps_a_tombstone_with_the_reason_and_nothing_else(personas):
    item = _published(personas.council, body_ru="Текст, который отозван.")
    image = services.news_image_add(item=item, data=services.ImageData(image=png_upload(), alt_ru="Фото"))
    image_url = reverse("reports:news_image", args=[personas.council.slug, image.pk])
    assert Client().get(image_url).status_code == 200

    services.news_withdraw(item=item, reason="Заявление заменено новой редакцией.")

    page = _detail(item)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Общественный совет города Алматы за честные выборы" in html
    assert "Заявление заменено новой редакцией." in html
    assert "Текст, который отозван." not in html
    assert "noindex" in html
    assert Client().get(image_url).status_code == 404
    assert "честные выборы" not in Client().get(f"/ru/councils/{personas.council.slug}/news/").content.decode()
    assert "честные выборы" not in Client().get(f"/ru/councils/{personas.council.slug}/news/feed/").content.decode()
    assert Client().get("/api/v1/news/").json()["count"] == 0


def test_withdrawal_needs_a_reason_and_a_public_item(personas):
    item = _published(personas.council)
    client = personas.client_for(personas.secretary)
    url = reverse("news_ws:withdraw", args=[personas.council.slug, item.pk])

    assert client.post(url, {"reason": "  "}).status_code == 400
    draft = _item(personas.council)
    with pytest.raises(ValidationError):
        services.news_withdraw(item=draft, reason="Ошибка")


# ---- images -----------------------------------------------------------------------------------------------------


def _image_url(personas, item):
    return reverse("news_ws:image_add", args=[personas.council.slug, item.pk])


def test_an_image_is_checked_by_its_content_not_its_name(personas):
    item = _item(personas.council)
    client = personas.client_for(personas.secretary)
    for upload in (
        SimpleUploadedFile("photo.png", b"%PDF-1.4\n%%EOF\n", content_type="image/png"),  # a PDF named .png
        SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),  # damaged
    ):
        response = client.post(_image_url(personas, item), {"image": upload, "alt_ru": "Фото"})
        assert response.status_code == 400, upload.name
    assert not NewsImage.objects.exists()


def test_an_image_without_a_description_is_refused(personas):
    item = _item(personas.council)
    client = personas.client_for(personas.secretary)

    response = client.post(_image_url(personas, item), {"image": png_upload(), "alt_ru": ""})

    assert response.status_code == 400
    assert not NewsImage.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(personas):
    item = _item(personas.council)
    bomb = SimpleUploadedFile("bomb.png", image_bytes((10000, 5000), mode="1"), content_type="image/png")

    with pytest.raises(ValidationError):
        services.news_image_add(item=item, data=services.ImageData(image=bomb, alt_ru="Бомба"))


def test_a_photo_is_resized_and_loses_its_camera_metadata(personas):
    item = _item(personas.council)
    client = personas.client_for(personas.secretary)
    upload = SimpleUploadedFile("../../IMG_0001.JPG", jpeg_with_gps(), content_type="image/jpeg")

    response = client.post(_image_url(personas, item), {"image": upload, "alt_ru": "Участники мониторинга"})

    assert response.status_code == 302
    image = NewsImage.objects.get()
    assert image.image.name.startswith("news/") and ".." not in image.image.name
    assert (image.width, image.height) == (1600, 1200)
    with image.image.open("rb") as stored:
        content = stored.read()
    assert b"PhoneMaker ZXQ" not in content
    assert not Image.open(io.BytesIO(content)).getexif()


# ---- languages --------------------------------------------------------------------------------------------------


def test_a_kazakh_reader_sees_the_kazakh_text_and_an_english_one_the_russian_marked(personas):
    item = _published(personas.council, title_en="", body_en="")

    kk = _detail(item, "kk").content.decode()
    en = _detail(item, "en").content.decode()

    assert "Алматы қаласының Қоғамдық кеңесі адал сайлау үшін" in kk and "Мәлімдеменің қазақша мәтіні." in kk
    assert '<span lang="ru">Общественный совет города Алматы за честные выборы</span>' in en
    assert '<div lang="ru">' in en and "Текст заявления на русском." in en


def test_a_translation_needs_both_its_title_and_its_text(personas):
    with pytest.raises(ValidationError):
        _item(personas.council, title_en="Statement", body_en="")


# ---- feeds ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("address", ["/{language}/councils/almaty/news/feed/", "/{language}/news/feed/"])
def test_the_news_feeds_are_valid_atom(personas, language, address):
    _published(personas.council, body_ru="Работы <b>начаты</b> & идут.\n\nСрок — «до 1 июля».")
    _published(personas.council, kind="press_release", title_ru="Пресс-релиз", body_ru="Текст", title_kk="", body_kk="")

    response = Client().get(address.format(language=language))

    assert atom_errors(response.content) == []
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == 2
    assert all(entry.id.startswith("urn:uuid:") for entry in parsed.entries)
    assert all(entry.get("author") for entry in parsed.entries)
    if language == "kk":
        assert "Алматы қаласының Қоғамдық кеңесі адал сайлау үшін" in {entry.title for entry in parsed.entries}


def test_the_rss_feed_parses_and_the_council_feed_carries_the_news(personas):
    _published(personas.council)

    rss = feedparser.parse(Client().get("/ru/councils/almaty/news/feed.rss").content)
    council_feed = feedparser.parse(Client().get("/ru/councils/almaty/feed/").content)

    assert rss.bozo == 0 and rss.version == "rss20" and len(rss.entries) == 1
    assert council_feed.bozo == 0
    assert "Общественный совет города Алматы за честные выборы" in {e.title for e in council_feed.entries}


# ---- the open API -----------------------------------------------------------------------------------------------


def test_the_open_api_lists_published_items_with_images_records_and_media(personas):
    event = f.MonitoringEventFactory(council=personas.council)
    item = _published(personas.council)
    services.news_image_add(item=item, data=services.ImageData(image=png_upload(), alt_ru="Фото"))
    services.news_link_add(item=item, kind="monitoring_event", object_id=event.pk)
    services.media_publication_add(
        item=item,
        data=services.MediaPublicationData(
            outlet="Хабар 24", kind="tv", published_on=dt.date(2019, 5, 20), url="https://24.kz/ru/news/1"
        ),
    )
    _item(personas.council, title_ru="Черновик")

    rows = Client().get("/api/v1/news/?council=almaty").json()["results"]

    assert [row["title_ru"] for row in rows] == ["Общественный совет города Алматы за честные выборы"]
    assert rows[0]["records"] == [{"kind": "monitoring_event", "object_id": event.pk}]
    assert rows[0]["images"][0]["alt_ru"] == "Фото"
    assert rows[0]["media_publications"][0]["outlet"] == "Хабар 24"
    assert Client().get("/api/v1/news/?format=csv").status_code == 200


# ---- the workspace: scope, links, audit -------------------------------------------------------------------------


def test_the_workspace_writes_through_the_gate_and_keeps_an_audit_trail(personas):
    client = personas.client_for(personas.secretary)
    add = reverse("news_ws:add", args=[personas.council.slug])
    response = client.post(
        add,
        {
            "kind": "news",
            "title_ru": "Новость",
            "body_ru": "Текст",
            "title_kk": "",
            "body_kk": "",
            "title_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    publish = reverse("news_ws:publish", args=[personas.council.slug, item.pk])
    moment = timezone.localtime() - dt.timedelta(minutes=1)
    assert client.post(publish, {"publish_at": moment.strftime("%Y-%m-%dT%H:%M")}).status_code == 302

    item.refresh_from_db()
    assert item.status == NewsStatus.PUBLISHED and item.released
    audit = getattr(NewsItem, NewsItem._meta.simple_history_manager_attribute)  # the trail (councils.audit)
    assert audit.filter(id=item.pk).count() == 2  # created, then published
    assert _detail(item).status_code == 200
    # Another council's secretary does not see it; a member reads but does not write.
    other = personas.client_for(personas.other_secretary)
    assert other.get(reverse("news_ws:detail", args=[personas.council.slug, item.pk])).status_code == 404
    member = personas.client_for(personas.member)
    assert member.get(reverse("news_ws:detail", args=[personas.council.slug, item.pk])).status_code == 200
    assert (
        member.post(reverse("news_ws:withdraw", args=[personas.council.slug, item.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert client.get(reverse("news_ws:list", args=[personas.council.slug]) + "?format=csv").status_code == 200


def test_an_item_links_only_records_of_its_own_council(personas):
    item = _item(personas.council)
    mine = f.MeetingFactory(council=personas.council)
    theirs = f.MeetingFactory(council=personas.other_council)

    services.news_link_add(item=item, kind="meeting", object_id=mine.pk)
    with pytest.raises(ValidationError):
        services.news_link_add(item=item, kind="meeting", object_id=theirs.pk)
    with pytest.raises(ValidationError):
        services.news_link_add(item=item, kind="appeal", object_id=1)


def test_a_closed_meetings_title_stays_off_the_public_page(personas):
    closed = f.MeetingFactory(council=personas.council, is_open=False, title="Закрытая повестка ZXQ")
    item = _published(personas.council)
    services.news_link_add(item=item, kind="meeting", object_id=closed.pk)

    html = _detail(item).content.decode()

    assert "Закрытая повестка ZXQ" not in html


# ---- the year's figures and the report --------------------------------------------------------------------------


def test_publications_in_the_media_are_counted_from_the_news_and_the_monitoring_events(personas):
    council = personas.council
    year = timezone.localdate().year
    event = f.MonitoringEventFactory(council=council, date=timezone.localdate())
    f.PublicityLinkFactory(event=event)
    item = _published(council)
    services.media_publication_add(
        item=item,
        data=services.MediaPublicationData(
            outlet="Время", kind="press", published_on=timezone.localdate(), url="https://time.kz/1"
        ),
    )

    stats = council_year_stats(council=council, year=year)

    assert stats.news.total == 1 and stats.news.by_kind["statement"] == 1
    assert (stats.media.total, stats.media.news, stats.media.monitoring) == (2, 1, 1)
    assert "media" in [section["id"] for section in report_sections(council=council, stats=stats)]
    api = Client().get(f"/api/v1/councils/{council.slug}/stats/?year={year}").json()
    assert api["media"] == {"total": 2, "news": 1, "monitoring": 1}
