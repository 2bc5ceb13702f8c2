"""Lead images turned into small thumbnails: decoded with bounds, scaled down, encoded anew.

Only JPEG, PNG, GIF and WebP are read; the pixel count is checked before decoding (a
decompression bomb is refused); the result is a fresh JPEG (or PNG when the image has
transparency) without the original's metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

READABLE = ("JPEG", "PNG", "GIF", "WEBP")


@dataclass
class Thumbnail:
    """A re-encoded thumbnail, or why there is none (``error``)."""

    content_type: str | None
    data: bytes | None
    width: int = 0
    height: int = 0
    error: str | None = None


def thumbnail(data: bytes, width: int, max_pixels: int) -> Thumbnail:
    """``data`` (an image file) as a thumbnail at most ``width`` pixels wide."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=READABLE) as image:
                if image.width * image.height > max_pixels:
                    return Thumbnail(None, None, error=f"too many pixels ({image.width}×{image.height})")
                image.draft("RGB", (width, width))  # JPEG: decode at a reduced size
                image.load()
                transparent = image.mode in ("RGBA", "LA") or (
                    image.mode == "P" and "transparency" in image.info
                )
                frame = image.convert("RGBA" if transparent else "RGB")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return Thumbnail(None, None, error="too many pixels (a decompression bomb?)")
    except UnidentifiedImageError as exc:
        return Thumbnail(None, None, error=f"not a usable image: {exc}")
    except (OSError, ValueError, SyntaxError) as exc:
        return Thumbnail(None, None, error=f"not a usable image: {exc}")
    if frame.width > width:
        frame.thumbnail((width, max(1, round(frame.height * width / frame.width))))
    out = io.BytesIO()
    if transparent:
        frame.save(out, "PNG", optimize=True)
        kind = "image/png"
    else:
        frame.save(out, "JPEG", quality=80, optimize=True, progressive=True)
        kind = "image/jpeg"
    return Thumbnail(kind, out.getvalue(), frame.width, frame.height)
