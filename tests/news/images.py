"""Images made in memory for the news tests and the privacy sweep's world."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(size: tuple[int, int] = (64, 48), kind: str = "PNG", mode: str = "RGB", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#3a7").save(buffer, kind, **save)
    return buffer.getvalue()


def png_upload(name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size), content_type="image/png")


def jpeg_with_gps(size: tuple[int, int] = (3200, 2400)) -> bytes:
    """A camera's JPEG: EXIF with the camera's make and a GPS position (the place the photo was taken)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker ZXQ"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 57.0, 0.0)}  # GPSInfo
    return image_bytes(size, "JPEG", exif=exif, quality=70)
