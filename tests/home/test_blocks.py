from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from home.blocks import CallToActionBlock, CaptionedImageBlock

pytestmark = pytest.mark.django_db


def test_call_to_action_needs_exactly_one_target():
    block = CallToActionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"title": "t", "button_label": "b"}))
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python(
                {"title": "t", "button_label": "b", "external_url": "https://a.ma", "page": 3}
            )
        )
    value = block.clean(
        block.to_python({"title": "t", "button_label": "b", "external_url": "https://a.ma"})
    )
    assert value.url() == "https://a.ma"


def test_image_needs_a_text_alternative_or_the_decorative_flag():
    image = Image.objects.create(title="Atelier", file=get_test_image_file())
    block = CaptionedImageBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt": ""}))
    decorative = block.clean(block.to_python({"image": image.pk, "decorative": True}))
    assert decorative.alt_text() == ""
    described = block.clean(block.to_python({"image": image.pk, "alt": "Jeunes en atelier"}))
    assert described.alt_text() == "Jeunes en atelier"
