"""StreamField blocks shared by every page type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; editors choose its level so the outline stays correct."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/streamfield/blocks/heading_block.html"
        preview_value = {"text": "من نحن", "level": "h2"}


class CaptionedImageValue(blocks.StructValue):
    def alt_text(self):
        """The image's description, unless the editor marked it decorative."""
        if self.get("decorative"):
            return ""
        return self.get("alt") or (self.get("image").title if self.get("image") else "")


class CaptionedImageBlock(blocks.StructBlock):
    """An image with its text alternative, an optional caption and credit."""

    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative only"),
        required=False,
        help_text=_("Tick if the image adds no information (screen readers skip it)."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/streamfield/blocks/captioned_image_block.html"
        value_class = CaptionedImageValue

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("alt") and not value.get("decorative"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt": ValidationError(
                        _("Give a text alternative, or mark the image as decorative.")
                    )
                }
            )
        return value


class QuoteBlock(blocks.StructBlock):
    """A quotation with the person (and role) it comes from."""

    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/streamfield/blocks/quote_block.html"
        preview_value = {
            "quote": "منصة تتيح للجمعيات تبادل الخبرات والتجارب.",
            "attribution": "لبنى بتول بن صالح",
        }


class CallToActionValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        if page:
            return page.localized.url
        return self.get("external_url") or ""


class CallToActionBlock(blocks.StructBlock):
    """A highlighted invitation (join the network, read a guide) with one button."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    external_url = blocks.URLBlock(label=_("Or an address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "components/streamfield/blocks/call_to_action_block.html"
        value_class = CallToActionValue
        preview_value = {
            "title": "انضموا إلى الشبكة",
            "text": "سجلوا جمعيتكم للاستفادة من التواصل المهني.",
            "button_label": "انضموا",
            "external_url": "https://example.org/",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            raise blocks.StructBlockValidationError(
                non_block_errors=[_("Choose a page or give an address (one of the two).")]
            )
        return value


class DocumentListBlock(blocks.StructBlock):
    """A titled list of downloadable documents (guides, templates, reports)."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"))

    class Meta:
        icon = "doc-full"
        label = _("Document list")
        template = "components/streamfield/blocks/document_list_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page offers."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        template="components/streamfield/blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document_list = DocumentListBlock()
