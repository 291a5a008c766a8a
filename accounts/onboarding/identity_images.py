"""Identity photos for the cook identity check: validation, re-encoding and private storage.

A cook's upload is never stored as sent. `prepare_identity_image` reads at most
settings.IDENTITY_IMAGE_MAX_BYTES, decides the format from the file's first bytes (not its name or
content type), refuses anything that is not JPEG, PNG or HEIC/HEIF, refuses decompression bombs and
truncated files, turns the picture upright and re-encodes it as a plain JPEG: no EXIF (so no GPS
position), no ICC profile, no comments, and nothing that was appended after the image data.

The re-encoded bytes go to storages["private"] under a random name (`save_private_image`); that
storage has no URL, so the only way to see a photo is a view that checks permission and streams it.
"""

import io
import re
import secrets
import warnings
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext
from PIL import Image, ImageFile, ImageOps

from casserole.errors import DomainError

# HEIC/HEIF (iPhone photos) opens through Pillow once this plugin is registered.
pillow_heif.register_heif_opener()

# Largest picture accepted, in pixels (width x height). A 48-megapixel phone camera saves 12-megapixel
# photos by default; 40 megapixels leaves room for any ordinary photo and refuses decompression bombs
# (a small file that expands to gigabytes of memory) well before Pillow's own limit.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEIF_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"heim", b"heis", b"hevc"})
# Format name (as in PreparedImage.original_format) -> the Pillow plugin allowed to open it.
PILLOW_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "HEIF": "HEIF"}

STORED_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
READ_CHUNK = 64 * 1024


class IdentityImageError(DomainError):
    """The upload cannot be used; `message` tells the cook what to do instead."""


@dataclass(frozen=True)
class PreparedImage:
    content: bytes  # a JPEG, re-encoded, without EXIF or ICC data
    width: int
    height: int
    original_format: str  # "JPEG", "PNG" or "HEIF"


def prepare_identity_image(upload) -> PreparedImage:
    """Check a Django UploadedFile and return it re-encoded as a clean JPEG, or raise IdentityImageError."""
    data = _read_capped(upload)
    original_format = detect_format(data)
    if original_format is None:
        raise IdentityImageError(gettext("The photo must be a JPG, PNG or HEIC file"))
    if _carries_something_else(data, original_format):
        # A polyglot (an image with a page or script attached) is refused outright, not just cleaned.
        raise IdentityImageError(gettext("The file has something other than a photo in it – upload the photo itself"))
    image = _decode(data, original_format)
    try:
        content = _reencode(image)
        width, height = _jpeg_size(content)
    finally:
        image.close()
    return PreparedImage(content=content, width=width, height=height, original_format=original_format)


# Long enough that compressed photo data does not match it by chance (SVG is refused by its first bytes).
_MARKUP = re.compile(rb"<(?:html|script|iframe)[\s>]|<!doctype\s", re.IGNORECASE)


def _carries_something_else(data: bytes, original_format: str) -> bool:
    """Markup anywhere in the file, or bytes after a PNG's closing IEND chunk (4-byte CRC included)."""
    if _MARKUP.search(data):
        return True
    if original_format == "PNG":
        end = data.rfind(b"IEND")
        return end != -1 and len(data) > end + 8
    return False


def detect_format(data: bytes) -> str | None:
    """The format named by the file's first bytes: "JPEG", "PNG", "HEIF", or None for anything else."""
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    if data.startswith(PNG_MAGIC):
        return "PNG"
    # ISO base media file: a 4-byte box size, then "ftyp", then the major brand.
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def _too_big_message(max_bytes):
    megabyte = 1024 * 1024
    if max_bytes >= megabyte:
        size = f"{max_bytes / megabyte:.1f}".removesuffix(".0") + "MB"
    else:
        size = f"{max(1, max_bytes // 1024)}KB"
    return gettext("The photo must be smaller than %(size)s") % {"size": size}


def _read_capped(upload) -> bytes:
    max_bytes = settings.IDENTITY_IMAGE_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise IdentityImageError(_too_big_message(max_bytes))
    buffer = bytearray()
    for chunk in upload.chunks(READ_CHUNK):
        buffer += chunk
        # The declared size can be wrong (or absent): count what is actually read, and stop early.
        if len(buffer) > max_bytes:
            raise IdentityImageError(_too_big_message(max_bytes))
    if not buffer:
        raise IdentityImageError(gettext("The file is empty – choose a photo of your identity document"))
    return bytes(buffer)


def _unreadable():
    return IdentityImageError(gettext("The photo could not be read – take it again and upload the new photo"))


def _too_many_pixels():
    return IdentityImageError(
        gettext(
            "The photo is too large in pixels – it must be %(megapixels)s megapixels or fewer. "
            "Take it again with your phone’s usual camera settings and upload the new photo"
        )
        % {"megapixels": MAX_PIXELS // 1_000_000}
    )


def _decode(data: bytes, original_format: str) -> Image.Image:
    """Open and fully decode the image, refusing bombs and truncated files."""
    # A truncated file must fail, not come out with a grey band (Pillow's default, kept on purpose).
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False for identity photos.")
    image = None
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make the warning an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the plugin for the detected format may open it: a file whose first bytes say PNG is
            # decoded as PNG or not at all.
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[original_format]])
            width, height = image.size
            # The header's size is known before any pixel is decoded: refuse here, before load().
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.load()
    except IdentityImageError:
        if image is not None:
            image.close()
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        if image is not None:
            image.close()
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, RuntimeError):
        # Pillow reports corrupt, truncated or unsupported data as OSError (UnidentifiedImageError
        # included), SyntaxError, ValueError or EOFError; pillow-heif as ValueError or RuntimeError.
        if image is not None:
            image.close()
        raise _unreadable() from None
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )
    if has_alpha:
        # Transparent areas become white (JPEG has no transparency; dropping alpha would show noise or black).
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit greyscale: scale to 8 bits rather than clip everything above 255 to white.
        return image.convert("I").point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _reencode(image: Image.Image) -> bytes:
    try:
        # Phones store "rotate this" in EXIF instead of rotating the pixels: apply it, since the EXIF goes.
        upright = ImageOps.exif_transpose(image)
        rgb = _to_rgb(upright)
        # Nothing of the original's metadata is carried over: Pillow's JPEG writer only writes EXIF, ICC,
        # comments or XMP when asked to in save(); clearing info keeps it that way whatever Pillow does next.
        rgb.info = {}
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=JPEG_QUALITY)
    except (OSError, ValueError, SyntaxError) as error:
        raise _unreadable() from error
    return out.getvalue()


def _jpeg_size(content: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(content), formats=["JPEG"]) as check:
        return check.size


# Private storage. Built from settings on each call (not the cached storages["private"]) so tests and
# management commands that change settings.STORAGES["private"] reach the right place.


def private_storage():
    return storages.create_storage(settings.STORAGES["private"])


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        raise ValueError("Not the name of a stored identity photo.")


def save_private_image(content: bytes) -> str:
    """Store re-encoded JPEG bytes (PreparedImage.content) under a random name and return that name."""
    if not content.startswith(JPEG_MAGIC):
        raise ValueError("Only a JPEG made by prepare_identity_image may be stored.")
    name = secrets.token_hex(16) + ".jpg"
    return private_storage().save(name, ContentFile(content))


def open_private_image(name: str):
    """The stored photo as an open binary file (close it after use). FileNotFoundError once deleted."""
    _check_name(name)
    return private_storage().open(name, "rb")


def delete_private_image(name: str) -> None:
    """Delete a stored photo; deleting one that is already gone does nothing."""
    _check_name(name)
    private_storage().delete(name)
