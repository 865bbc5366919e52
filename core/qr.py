"""QR codes drawn on the server as inline SVG (the `qrcode` package's pure-Python SVG path image: no Pillow)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """DATA as an `<svg>` element to put inline in a page (no XML declaration), scaled by its CSS."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]
