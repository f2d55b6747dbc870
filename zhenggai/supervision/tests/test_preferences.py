"""提醒设置: a mobile number typed as people write it is accepted and stored as its 11 digits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhenggai.supervision.forms import PreferenceForm
from zhenggai.supervision.models import Preference, normalise_mobile

VALID = [
    ("+86 139 1234 5678", "13912345678"),
    ("+86-13912345678", "13912345678"),
    ("13912345678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    (" 0086 139 1234 5678 ", "13912345678"),
    ("8613912345678", "13912345678"),
    ("+86 (139) 1234 5678", "13912345678"),
    ("139\u30001234\u30005678", "13912345678"),  # full-width spaces from a Chinese keyboard
    ("", ""),
]
INVALID = [
    "abc",
    "1391234567",  # ten digits
    "139123456789",  # twelve
    "+1 415 555 0100",
    "23912345678",  # not a mobile
    "12012345678",  # no such network
    "１３９１２３４５６７８",  # full-width digits
    "+86 139 1234 567x",
    "+8613912345678+",
]


def form(mobile: str) -> PreferenceForm:
    data = {"by_email": "on", "by_robot": "on", "mobile": mobile, "quiet_on_rest_days": "on"}
    return PreferenceForm(data, instance=Preference())


@pytest.mark.parametrize(("typed", "stored"), VALID)
def test_mobile_numbers_as_people_write_them_are_accepted(db, typed, stored):
    f = form(typed)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["mobile"] == stored


@pytest.mark.parametrize("typed", INVALID)
def test_garbage_is_refused_in_chinese(db, typed):
    f = form(typed)
    assert not f.is_valid()
    [message] = f.errors["mobile"]
    assert "手机号" in message


def test_normalising_twice_changes_nothing():
    assert normalise_mobile(normalise_mobile("+86 139 1234 5678")) == "13912345678"


def test_the_settings_page_stores_the_normalised_number(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("reminder_settings"),
        {"by_email": "on", "by_robot": "on", "mobile": "+86 139 1234 5678"},
    )
    assert response.status_code == 302
    assert Preference.objects.get(user=world.staff).mobile == "13912345678"

    response = client.post(reverse("reminder_settings"), {"by_email": "on", "mobile": "请联系我"})
    assert response.status_code == 200
    assert "请填写正确的中国大陆手机号" in response.content.decode()
    assert Preference.objects.get(user=world.staff).mobile == "13912345678"


def test_the_admin_normalises_too(world):
    preference = Preference(user=world.staff, mobile="+86-139 1234 5678")
    preference.full_clean()
    assert preference.mobile == "13912345678"
    preference.mobile = "hello"
    with pytest.raises(ValidationError) as caught:
        preference.full_clean()
    assert "mobile" in caught.value.message_dict
