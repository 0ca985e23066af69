"""Forms of the staff sign-in side: joining a clinic from an invitation, resetting a password."""

from __future__ import annotations

from django import forms

PASSWORD_HELP = "At least 12 characters; not a common password, nor one like your name."


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords are not the same.")
        return data


class JoinNewForm(NewPasswordForm):
    """Someone new: a username, their name, and a password."""

    field_order = ["first_name", "last_name", "username", "password", "password_again"]
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What you will sign in with: letters, digits and @ . + - _ only.",
    )


class JoinExistingForm(forms.Form):
    """Someone who already works in another clinic on Prolo confirms it is them."""

    password = forms.CharField(
        label="Your Prolo password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
