"""First-load weight of a page, as a browser fetches it.

Usage: .venv/bin/python bench/page_weight.py [BASE_URL] [PATH ...]
(default http://127.0.0.1:8000 and /ar/ /fr/; start `make run` first).

Loads each page in Debian's Chromium with an empty cache, records every response,
and counts text responses (HTML, CSS, JS, SVG) at their gzip size — what whitenoise
and a compressing proxy send in production — and binary ones (fonts, images) as is.
Requests to any other origin are counted separately (the budget is none).
"""

import gzip
import sys
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
BUDGET_TOTAL = 150 * 1024
BUDGET_JS = 50 * 1024


def weigh(page, url):
    records = []

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        content_type = response.headers.get("content-type", "")
        compressed = any(content_type.startswith(t) for t in TEXT_TYPES)
        size = len(gzip.compress(body, 6)) if compressed else len(body)
        records.append((response.url, content_type.split(";")[0], size))

    page.on("response", on_response)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", on_response)
    return records


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    paths = sys.argv[2:] or ["/ar/", "/fr/"]
    origin = urlparse(base).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for path in paths:
            context = browser.new_context()
            records = weigh(context.new_page(), base + path)
            context.close()
            total = sum(size for _, _, size in records)
            js = sum(size for _, kind, size in records if "javascript" in kind)
            outside = [url for url, _, _ in records if urlparse(url).netloc != origin]
            print(
                f"{path}: {len(records)} requests, {total / 1024:.1f} KB transferred, "
                f"{js / 1024:.1f} KB JavaScript, {len(outside)} third-party requests"
            )
            for url, kind, size in records:
                print(f"    {size / 1024:7.1f} KB  {kind:24} {url.replace(base, '')}")
            ok = total <= BUDGET_TOTAL and js <= BUDGET_JS and not outside
            print(f"    budget (≤150 KB, ≤50 KB JS, no third party): {'met' if ok else 'MISSED'}")
        browser.close()


if __name__ == "__main__":
    main()
