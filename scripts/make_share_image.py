"""Draw static/img/share.png, the picture link previews show (og:image, 1200×630): the portal's emblem (the
favicon's ring) and its name in Russian, Kazakh and English on the brand's blue, council-neutral.

Run again after changing the wording or the colours: `.venv/bin/python scripts/make_share_image.py`.
Needs Pillow and DejaVu Sans (Debian fonts-dejavu-core, the report's font too).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 1200, 630
BRAND, WHITE, ACCENT, SOFT = "#0b3d6e", "#ffffff", "#ffbf47", "#c9d8e8"


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 64)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 36)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 28)
    # The emblem: the favicon's ring and its centre.
    cx, cy, radius = 150, 240, 70
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=WHITE, width=18)
    draw.ellipse((cx - 26, cy - 26, cx + 26, cy + 26), fill=ACCENT)
    left = 270
    draw.text((left, 170), "Портал", font=bold, fill=WHITE)
    draw.text((left, 245), "общественных советов", font=bold, fill=WHITE)
    draw.text((left, 350), "Қоғамдық кеңестер порталы", font=regular, fill=SOFT)
    draw.text((left, 400), "Public councils of Kazakhstan", font=regular, fill=SOFT)
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill="#082d52")
    draw.rectangle((0, HEIGHT - 114, WIDTH, HEIGHT - 110), fill=ACCENT)
    draw.text(
        (80, HEIGHT - 72),
        "Заседания · слушания · мониторинг · рекомендации и ответы",
        font=small,
        fill=WHITE,
    )
    target = ROOT / "static" / "img" / "share.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)
    print(target, image.size)


if __name__ == "__main__":
    main()
