"""The base of every WTForms form: fields measured as sent, before anything cleans them.

A field longer than its bound is refused with the message every length refusal gives ("at
most N characters; it is now M"), keeps what was typed (the page shows it back, escaped), and
is marked `oversize` so that readers skip cleaning it: cleaning is linear, but there is no
reason to pay for text already refused. The bound is twice the length the field accepts, and
at least RAW_FLOOR (markup and CRLF line ends are counted as sent but removed by cleaning; a
short field with some markup costs next to nothing to clean). A refused token or an
oversize field counts as a refused post against the address (testimonials/bounds.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from flask_babel import format_number
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field

from testimonials import bounds

# Fields without a length of their own (choices, numbers, tokens) take this many characters.
SMALL_FIELD = 200
RAW_FLOOR = 2_000


class BoundedForm(FlaskForm):
    """A form whose every field has a raw length bound, checked by validate()."""

    # The longest value each field accepts once cleaned, by field name ("story", "intake-amount").
    max_lengths: ClassVar[Mapping[str, int]] = {}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        oversize = [field for field in fields_of(self) if self._over_bound(field)]
        token = self._fields.get("csrf_token")
        if oversize or (token is not None and token.errors):
            bounds.mark_refused()
        return valid and not oversize

    def _over_bound(self, field: Field) -> bool:
        maximum = self.max_lengths.get(field.name)
        bound = SMALL_FIELD if maximum is None else max(2 * maximum, RAW_FLOOR)
        length = max((len(value) for value in field.raw_data or () if isinstance(value, str)),
                     default=0)
        if length <= bound:
            return False
        field.oversize = True  # read by oversize()
        field.errors = [*field.errors, _(
            "This can be at most %(maximum)s characters long; it is now %(count)s. Please "
            "shorten it.", maximum=format_number(maximum or SMALL_FIELD),
            count=format_number(length))]
        return True


def fields_of(form: Any) -> Iterator[Field]:
    """Every field of a form, those of its sub-forms included."""
    for field in form:
        if field.type == "FormField":
            yield from fields_of(field.form)
        else:
            yield field


def oversize(field: Field) -> bool:
    """Whether validate() refused this field for its raw length (so nothing should clean it)."""
    return bool(getattr(field, "oversize", False))
