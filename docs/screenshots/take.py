"""Screenshots of each role's home, desktop (1280 px) and phone (390 px), from the demo.

    jamsos demo --port 8123 &      # builds the demo database and serves it
    python docs/screenshots/take.py http://127.0.0.1:8123
"""

import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROLES = {"pimpinan": "bupati", "kepala_desa": "kades.tebingsuluh", "camat": "camat.lempuing",
         "verifikator": "dinsos", "operator": "operator", "bpjs": "bpjs", "auditor": "auditor",
         "publik": None}
HERE = Path(__file__).parent


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for role, username in ROLES.items():
            for width in (1280, 390):
                context = browser.new_context(viewport={"width": width, "height": 900},
                                              locale="id-ID")
                page = context.new_page()
                if username:
                    page.goto(f"{base}/akun/masuk/")
                    page.get_by_label("Nama pengguna").fill(username)
                    page.get_by_label("Kata sandi").fill("demo-jamsos-2025")
                    page.get_by_role("button", name="Masuk").click()
                    page.wait_for_url(f"{base}/")
                else:
                    page.goto(f"{base}/cakupan/publik/")
                path = HERE / f"{role}-{width}.png"
                page.screenshot(path=path, full_page=True)
                if width == 390 and role == "kepala_desa":  # the menu opened from its button
                    page.locator("details.menu-phone summary").click()
                    page.screenshot(path=HERE / f"{role}-{width}-menu.png")
                context.close()
        browser.close()
    for png in HERE.glob("*.png"):  # 256 colours: a tenth of the bytes, same picture
        Image.open(png).convert("RGB").quantize(256).save(png, optimize=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8123")
