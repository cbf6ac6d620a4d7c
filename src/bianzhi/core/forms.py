from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from bianzhi.core.errors import BianzhiError, CommonError

T = TypeVar("T")
DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's own date picker; the value always as 2026-11-28."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format=DATE_FORMAT, **kwargs)


# Refusals of who is asking, not of what was typed: no correction of the form helps, so they are not shown on it.
_CALLER_REFUSED = (CommonError.PERMISSION_DENIED, CommonError.OUT_OF_SCOPE)


def call_service(form: forms.Form, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Runs a service for a bound, valid form; a refusal becomes a form error (with its code), not a crash.

    A caller without the right, or acting on a unit outside their scope, gets the 403 page instead (the error
    propagates to ``DomainErrorMiddleware``), as when a page refuses them before any form is shown."""
    try:
        return service(**kwargs)
    except BianzhiError as exc:
        if exc.error in _CALLER_REFUSED:
            raise
        form.refusal = exc  # for a form that offers a way past it (a confirmation)
        form.add_error(None, f"{exc.message}（{exc.code}）")
        return None


def style_fields(form: forms.BaseForm) -> None:
    """Tabler classes on Django's widgets, so templates can render fields as they come."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        """Fields in error are outlined in red beside their message (Tabler's ``is-invalid``)."""
        super().full_clean()
        for name in self.errors:
            classes = self.fields[name].widget.attrs.get("class", "").split() if name in self.fields else None
            if classes is not None and "is-invalid" not in classes:
                self.fields[name].widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class FieldsetsMixin:
    """A form laid out in groups (``includes/form_fieldsets.html``): ``fieldsets`` gives each group's legend and the
    names of its fields; a name the form does not have (a field only some users get) is skipped."""

    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for _legend, names in self.fieldsets for name in names])  # the summary of errors too

    def fieldsets_bound(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]
