"""The page of results a directory's address asks for (`?page=`).

Shared by the associations' and the specialists' directories, so that both read a
page number the same way: an address that was shared or edited by hand still
shows results (the first or the last page) with a notice, never an error.
"""

from django.utils.translation import gettext as _

# A value quoted back in a notice is cut to this length.
QUOTE_LENGTH = 40


def quote_value(value):
    """What the visitor typed, shortened to quote it back in a notice."""
    value = value.strip()
    return value if len(value) <= QUOTE_LENGTH else value[: QUOTE_LENGTH - 1] + "…"


def requested_page(paginator, params, notices, fetch):
    """The page of `paginator` that `params` asks for; problems go to `notices`.

    The paginator pages the primary keys of the results, in their order: only the
    rows shown are fetched, by `fetch(ids)`, which returns them in the same order
    and becomes the page's `object_list`.
    """
    raw = params.get("page", "").strip()
    number = 1
    if raw:
        try:
            number = int(raw)
            if number < 1:
                raise ValueError
        except ValueError:
            notices.append(
                _("“%(value)s” is not a page number: showing the first page.")
                % {"value": quote_value(raw)}
            )
            number = 1
    if number > paginator.num_pages:
        notices.append(
            _("There is no page %(number)s: showing the last page, %(last)s.")
            % {"number": number, "last": paginator.num_pages}
        )
        number = paginator.num_pages
    page = paginator.page(number)
    page.object_list = fetch(list(page.object_list))
    return page


def page_links(path, filters, page):
    """{"previous_url", "next_url"} of `page` (of results of `filters` at `path`);
    "" at either end."""
    return {
        "previous_url": (
            path + filters.querystring(page=page.previous_page_number())
            if page.has_previous()
            else ""
        ),
        "next_url": (
            path + filters.querystring(page=page.next_page_number()) if page.has_next() else ""
        ),
    }
