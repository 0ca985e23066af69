"""Render a form field with its label, help and errors wired for screen readers."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()

_GROUPED = (forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.inclusion_tag("includes/field.html")
def field(bound: forms.BoundField, **attrs: Any) -> dict[str, Any]:
    described_by = []
    if bound.help_text:
        described_by.append(f"{bound.auto_id}_help")
    if bound.errors:
        described_by.append(f"{bound.auto_id}_error")
    widget_attrs = {k.replace("_", "-"): v for k, v in attrs.items()}
    if described_by:
        widget_attrs["aria-describedby"] = " ".join(described_by)
    if bound.errors:
        widget_attrs["aria-invalid"] = "true"
    widget = bound.field.widget
    return {
        "f": bound,
        "widget": bound.as_widget(attrs=widget_attrs),
        "grouped": isinstance(widget, _GROUPED),
        "checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.BaseForm, level: int = 2) -> dict[str, Any]:
    """The list of a form's errors, each linking to its field; `level` fits the heading outline."""
    field_errors = [
        (_focus_target(form[name]), form[name].label, errors)
        for name, errors in form.errors.items()
        if name in form.fields
    ]
    return {
        "form": form,
        "field_errors": field_errors,
        "non_field": form.non_field_errors(),
        "heading": f"h{level}",
    }


def _focus_target(bound: forms.BoundField) -> str:
    """The id a summary link should jump to: the first box of a group, else the field."""
    if isinstance(bound.field.widget, _GROUPED):
        return f"{bound.auto_id}_0"
    return bound.auto_id
