"""The first run: `zhenggai setup` and the page /setup/ (issue 18)."""

import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhenggai.orgs import first_run
from zhenggai.orgs.models import Membership, Role, Unit

User = get_user_model()
GOOD = "tall-Orange-kettle-42"


def setup_command(tmp_path, *extra, password=GOOD):
    secret = tmp_path / "password"
    secret.write_text(password + "\n")
    out = StringIO()
    call_command(
        "setup",
        "--office",
        "区委巡察办",
        "--admin",
        "root",
        "--password-file",
        str(secret),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_setup_creates_the_office_and_an_administrator(db, tmp_path):
    assert "Created inspection office 区委巡察办 and administrator root" in setup_command(
        tmp_path, "--name", "系统 管理员"
    )
    admin = User.objects.get()
    assert admin.is_superuser and admin.is_staff and admin.check_password(GOOD)
    assert admin.first_name == "系统管理员"
    office = Unit.objects.get()
    assert office.kind == Unit.Kind.OFFICE and office.path == f"/{office.pk}/"
    assert Membership.objects.filter(user=admin, unit=office, role=Role.INSPECTION_OFFICE).exists()


def test_setup_refuses_once_any_user_exists(world, tmp_path):
    with pytest.raises(CommandError, match="users exist"):
        setup_command(tmp_path)
    assert not User.objects.filter(username="root").exists()


def test_setup_refuses_a_weak_password_and_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="weak password"):
        setup_command(tmp_path, password="123")
    assert not User.objects.exists() and not Unit.objects.exists()


def test_the_login_page_points_to_setup_on_an_empty_installation(client, db):
    assert reverse("setup") in client.get(reverse("login")).content.decode()
    User.objects.create(username="someone")
    assert reverse("setup") not in client.get(reverse("login")).content.decode()


def form(code, **changes):
    return {
        "code": code,
        "office": "区委巡察办",
        "username": "root",
        "name": "管理员",
        "password": GOOD,
        "password_again": GOOD,
        **changes,
    }


def test_the_setup_page_asks_for_the_code_it_wrote_to_the_data_dir(client, db, settings):
    assert client.get(reverse("setup")).status_code == 200
    path = first_run.code_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    code = path.read_text().strip()
    client.get(reverse("setup"))
    assert path.read_text().strip() == code  # the same code until it is used
    wrong = client.post(reverse("setup"), form("0000"))
    assert wrong.status_code == 400 and "初始化码不正确" in wrong.content.decode()
    assert not User.objects.exists()
    done = client.post(reverse("setup"), form(code))
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert User.objects.get().is_superuser
    assert not path.exists()
    assert client.get(reverse("setup")).status_code == 404
    assert client.post(reverse("setup"), form(code, username="second")).status_code == 404
    assert User.objects.count() == 1


def test_the_setup_page_is_404_once_users_exist(client, world):
    assert client.get(reverse("setup")).status_code == 404
    assert not first_run.code_path().exists()


def test_guessing_the_setup_code_is_rate_limited(client, db):
    client.get(reverse("setup"))
    code = first_run.code_path().read_text().strip()
    for _ in range(10):
        assert client.post(reverse("setup"), form("guess")).status_code == 400
    locked = client.post(reverse("setup"), form(code))
    assert locked.status_code == 429 and not User.objects.exists()


def test_the_setup_page_says_what_is_wrong_with_a_password(client, db):
    client.get(reverse("setup"))
    code = first_run.code_path().read_text().strip()
    response = client.post(reverse("setup"), form(code, password="123", password_again="123"))
    assert response.status_code == 400 and "密码不符合要求" in response.content.decode()
    mismatch = client.post(reverse("setup"), form(code, password_again="other-Orange-42"))
    assert "两次输入的密码不一致" in mismatch.content.decode()
    assert not User.objects.exists() and first_run.code_path().exists()
