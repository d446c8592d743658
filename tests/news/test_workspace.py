"""The news item's «Remove» buttons (an image, a linked record, a publication in the media): the button's own
name and value say it was pressed; a post without them removes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news import services
from news.models import NewsImage
from tests.news.images import png_upload

pytestmark = pytest.mark.django_db


def test_the_remove_button_removes_an_image_and_a_bare_post_does_not(personas):
    item = services.news_create(
        council=personas.council, data=services.NewsData(kind="news", title_ru="Новость", body_ru="Текст")
    )
    image = services.news_image_add(item=item, data=services.ImageData(image=png_upload(), alt_ru="Фото"))
    client = personas.client_for(personas.secretary)
    address = reverse("news_ws:image_delete", args=[personas.council.slug, image.pk])
    detail = reverse("news_ws:detail", args=[personas.council.slug, item.pk])

    page = client.get(detail).content.decode()
    assert f'action="{address}"' in page and 'name="remove" value="yes"' in page

    bare = client.post(address, {}, follow=True)
    assert NewsImage.objects.filter(pk=image.pk).exists()
    assert "Ничего не удалено" in bare.content.decode()

    pressed = client.post(address, {"remove": "yes"})
    assert pressed.status_code == 302 and pressed["Location"] == detail
    assert not NewsImage.objects.filter(pk=image.pk).exists()
