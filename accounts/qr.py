"""A QR code as inline SVG, drawn on the server: no script, no image host, nothing the CSP would refuse."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

try:
    import qrcode
except ImportError:  # optional: without it the setup page shows the key as text only
    qrcode = None

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_svg(data: str, *, title: str, size_px: int = 232) -> SafeString | None:
    """One <path> of unit squares on a white square; presentation attributes only (no style attribute)."""
    if qrcode is None:
        return None
    code = qrcode.QRCode(border=QUIET_ZONE, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    side = len(matrix)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img" aria-labelledby="qr-title" '
        'width="{size}" height="{size}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        '<title id="qr-title">{title}</title>'
        '<rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>',
        size=size_px,
        side=side,
        title=title,
        path=path,
    )
