from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from prolo.clinic.management.commands.createclinic import PASSWORD_ENV, Command
from prolo.clinic.models import Clinic, Membership, Role, User

GOOD = "a long and unusual passphrase"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("createclinic", *args, "--no-input", stdout=out)
    return out.getvalue()


def _refusal(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert exc.value.returncode == 2
    assert not Clinic.objects.exists()
    assert not User.objects.exists()
    return str(exc.value)


@pytest.mark.django_db
def test_it_creates_a_clinic_and_its_first_admin_on_an_empty_database(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, GOOD)
    out = _run(
        "--name=Lakeside Prolotherapy",
        "--time-zone=America/Los_Angeles",
        "--admin-username=dana",
        "--admin-email=dana@lakeside.example",
    )

    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.time_zone) == ("Lakeside Prolotherapy", "America/Los_Angeles")
    admin = User.objects.get(username="dana")
    assert admin.check_password(GOOD)
    assert admin.email == "dana@lakeside.example"
    assert Membership.objects.get(user=admin).role == Role.CLINIC_ADMIN
    assert clinic.stocks.exists()  # the default catalogue, as clinic_create installs it
    assert "Created Lakeside Prolotherapy" in out


@pytest.mark.django_db
def test_the_password_can_come_from_a_file(tmp_path):
    secret = tmp_path / "password"
    secret.write_text(GOOD + "\n")
    _run("--name=Lakeside", "--admin-username=dana", f"--admin-password-file={secret}")
    assert User.objects.get(username="dana").check_password(GOOD)
    assert Clinic.objects.get().time_zone  # the installation's zone by default


@pytest.mark.django_db
def test_bad_input_is_refused_naming_each_option_and_nothing_is_saved(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    message = _refusal("--time-zone=Mars/Olympus", "--admin-email=not-an-address")
    for flag in ("--name", "--time-zone", "--admin-username", "--admin-email", "--admin-password"):
        assert flag in message


@pytest.mark.django_db
def test_a_weak_password_is_refused():
    assert "--admin-password:" in _refusal(
        "--name=Lakeside", "--admin-username=dana", "--admin-password=dana"
    )


@pytest.mark.django_db
def test_a_taken_username_is_refused(alice):
    with pytest.raises(CommandError) as exc:
        _run("--name=Lakeside", "--admin-username=alice", f"--admin-password={GOOD}")
    assert "--admin-username: 'alice' is taken" in str(exc.value)
    assert not Clinic.objects.filter(name="Lakeside").exists()


@pytest.mark.django_db
def test_an_unreadable_password_file_is_refused(tmp_path):
    assert "--admin-password-file" in _refusal(
        "--name=Lakeside", "--admin-username=dana", f"--admin-password-file={tmp_path / 'none'}"
    )


@pytest.mark.django_db
def test_in_a_terminal_it_asks_for_what_is_missing(monkeypatch):
    answers = iter(["Lakeside", "", "dana", "", "Dana", "Reyes"])
    passwords = iter(["one", "two", GOOD, GOOD])  # a mismatch first: asked again
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    err = io.StringIO()
    call_command("createclinic", stdout=io.StringIO(), stderr=err)

    admin = User.objects.get(username="dana")
    assert admin.get_full_name() == "Dana Reyes"
    assert admin.check_password(GOOD)
    assert "did not match" in err.getvalue()


def test_its_help_lists_every_option():
    text = Command().create_parser("manage.py", "createclinic").format_help()
    for flag in ("--name", "--time-zone", "--admin-username", "--admin-password-file"):
        assert flag in text
