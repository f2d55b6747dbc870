"""How a page looks, for the browser tests: a screenshot to look at, and whether it fits its
viewport."""

import os
from pathlib import Path

# Screenshots go here when set (to look at them), else nowhere.
SHOTS = os.environ.get("ZHENGGAI_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def fits(page) -> bool:
    """Whether the page is no wider than its viewport (tables scroll inside their box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
