"""Checks on uploaded files: the type is read from the content, not the name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import filetype
from PIL import Image, UnidentifiedImageError

AVATAR_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def sniff_mime(uploaded_file):
    """The MIME type found in the file's first bytes, or None."""
    position = uploaded_file.tell() if hasattr(uploaded_file, "tell") else 0
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(uploaded_file, allowed_types, max_bytes):
    """Refuse a file whose content is not one of `allowed_types` or that is too big."""
    if uploaded_file.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="file_too_large",
            params={
                "size": f"{uploaded_file.size / 1_048_576:.1f}",
                "limit": f"{max_bytes / 1_048_576:.0f}",
            },
        )
    mime = sniff_mime(uploaded_file)
    if mime not in allowed_types:
        raise ValidationError(
            _("This type of file is not accepted here."), code="file_type_refused"
        )
    return mime


def validate_avatar(image_file):
    """An avatar is a real JPEG, PNG, WebP or GIF image of reasonable size."""
    # Files already stored (an unchanged avatar) are not re-read.
    if not hasattr(image_file, "size") or getattr(image_file, "_committed", False):
        return
    validate_upload(image_file, AVATAR_TYPES, settings.AVATAR_MAX_BYTES)
    try:
        image_file.seek(0)
        with Image.open(image_file) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This image could not be read."), code="bad_image") from error
    finally:
        image_file.seek(0)
    if max(width, height) > settings.AVATAR_MAX_PIXELS:
        raise ValidationError(
            _("The image is too large: at most %(max)s pixels per side."),
            code="image_too_large",
            params={"max": settings.AVATAR_MAX_PIXELS},
        )
