"""Validation of directory data: Moroccan phone numbers, years, uploads."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOROCCAN_PHONE = re.compile(r"^(?:\+212|00212|0)([5-8]\d{8})$")


def normalize_moroccan_phone(value):
    """'06 61-23.45 67' → '+212661234567'; raises ValidationError when not Moroccan.

    Accepted: national form (05…, 06…, 07…, 08…) or international (+212…, 00212…),
    with spaces, dots, dashes or parentheses anywhere.
    """
    compact = re.sub(r"[\s.\-()/]", "", value or "")
    match = MOROCCAN_PHONE.match(compact)
    if not match:
        raise ValidationError(
            _(
                "Enter a Moroccan phone number, e.g. 0522 12 34 56, 0661 23 45 67 or +212 661 23 45 67."
            ),
            code="invalid_phone",
        )
    return f"+212{match.group(1)}"


def validate_moroccan_phone(value):
    normalize_moroccan_phone(value)


def validate_founding_year(value):
    if value is not None and not 1900 <= value <= timezone.now().year:
        raise ValidationError(_("Enter a year between 1900 and this year."), code="invalid_year")
