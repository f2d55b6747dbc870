"""Log in as a demo user and save screenshots of pages: a look at the app as a user sees it.

python scripts/screenshots.py http://127.0.0.1:8000 OUTDIR USER PATH [PATH ...]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from zhenggai.lib.browser import launch_chromium


def main(
    base: str, outdir: str, username: str, *paths: str, width: int = 1280, full_page: bool = True
) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "zhenggai-demo")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for n, path in enumerate(paths):
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / f"{username}-{n}-{width}.png"), full_page=full_page)
        browser.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    width, full_page = 1280, True
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag.startswith("--width="):
            width = int(flag.split("=")[1])
        elif flag == "--viewport":
            full_page = False
    main(*args, width=width, full_page=full_page)
