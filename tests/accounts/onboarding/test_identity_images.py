"""Identity photos: the bad-file corpus (SECURITY.md, Files), re-encoding, and private storage.

Every file is built here in code; there are no binary fixtures.
"""

import io
import struct
import zlib

import pillow_heif
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from accounts.onboarding import identity_images
from accounts.onboarding.identity_images import (
    IdentityImageError,
    PreparedImage,
    delete_private_image,
    detect_format,
    open_private_image,
    prepare_identity_image,
    save_private_image,
)

# Builders


def jpeg_bytes(size=(40, 30), colour=(200, 30, 30), **save_options):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **save_options)
    return out.getvalue()


def noisy_jpeg_bytes(size=(160, 160)):
    # Noise compresses badly, so half of the file really is half of the picture.
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def png_bytes(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width, height, *, with_pixels=True):
    """A valid one-bit PNG, all zeros: a few kilobytes on disk, width x height pixels once decoded."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    body = b""
    if with_pixels:
        row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
        body = png_chunk(b"IDAT", zlib.compress(row * height, 9))
    return identity_images.PNG_MAGIC + header + body + png_chunk(b"IEND", b"")


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def reopen(prepared):
    image = Image.open(io.BytesIO(prepared.content))
    image.load()
    return image


def refused(content, name="photo.jpg", content_type="image/jpeg"):
    with pytest.raises(IdentityImageError) as caught:
        prepare_identity_image(upload(content, name, content_type))
    return str(caught.value.message)


WRONG_TYPE = "The photo must be a JPG, PNG or HEIC file"
ATTACHED = "The file has something other than a photo in it – upload the photo itself"
UNREADABLE = "The photo could not be read – take it again and upload the new photo"


# The bad-file corpus: none of these is accepted, each says why.


def test_one_byte_over_the_cap_is_refused_and_the_cap_itself_accepted(settings):
    settings.IDENTITY_IMAGE_MAX_BYTES = 2048
    base = jpeg_bytes()
    at_cap = base + b"\x00" * (2048 - len(base))  # bytes after the JPEG's end are ignored, then dropped

    assert prepare_identity_image(upload(at_cap)).original_format == "JPEG"
    assert refused(at_cap + b"\x00") == "The photo must be smaller than 2KB"


def test_the_cap_is_counted_while_reading_not_taken_from_the_declared_size(settings):
    settings.IDENTITY_IMAGE_MAX_BYTES = 2048
    lying = upload(jpeg_bytes() + b"\x00" * 4096)
    lying.size = 100

    with pytest.raises(IdentityImageError) as caught:
        prepare_identity_image(lying)
    assert caught.value.message == "The photo must be smaller than 2KB"


def test_the_default_cap_is_ten_megabytes_and_is_named_in_the_message(settings):
    assert settings.IDENTITY_IMAGE_MAX_BYTES == 10 * 1024 * 1024
    too_big = upload(b"")
    too_big.size = 10 * 1024 * 1024 + 1  # refused on the declared size, before any byte is read

    with pytest.raises(IdentityImageError) as caught:
        prepare_identity_image(too_big)
    assert caught.value.message == "The photo must be smaller than 10MB"


def test_zero_bytes_is_refused():
    assert refused(b"") == "The file is empty – choose a photo of your identity document"


@pytest.mark.parametrize(
    ("kind", "content", "name", "content_type"),
    [
        ("plain text", b"This is not a photo at all.\n", "photo.jpg", "image/jpeg"),
        (
            "SVG",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
            "photo.svg",
            "image/svg+xml",
        ),
        (
            "PDF renamed .jpg",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
            "id.jpg",
            "image/jpeg",
        ),
        ("HTML", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.png", "image/png"),
        ("GIF", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo.gif", "image/gif"),
        ("MP4, not HEIF", b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomiso2", "photo.heic", "image/heic"),
    ],
)
def test_files_that_are_not_jpeg_png_or_heic_are_refused_whatever_their_name(kind, content, name, content_type):
    assert refused(content, name, content_type) == WRONG_TYPE


@pytest.mark.parametrize(
    "polyglot",
    [
        png_bytes(Image.new("RGB", (32, 32), "navy")) + b"<html><script>alert(document.cookie)</script></html>",
        png_bytes(Image.new("RGB", (32, 32), "navy")) + b"PK\x03\x04 anything after the image",
        jpeg_bytes() + b"<script>alert(1)</script>",
    ],
    ids=["png+html", "png+zip", "jpeg+script"],
)
def test_an_image_with_something_else_attached_is_refused(polyglot):
    assert refused(polyglot, "photo.png", "image/png") == ATTACHED


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch):
    bomb = png_bomb(10_000, 10_000)
    assert len(bomb) < 100_000  # a small file: 100 megapixels once decoded
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))

    message = refused(bomb, "photo.png", "image/png")

    assert message.startswith("The photo is too large in pixels – it must be 40 megapixels or fewer.")
    assert decoded == []


def test_a_bomb_past_pillows_own_limit_is_refused_with_the_same_message():
    # 400 megapixels: Pillow raises DecompressionBombError while opening, before our own check runs.
    assert refused(png_bomb(20_000, 20_000, with_pixels=False), "photo.png").startswith(
        "The photo is too large in pixels"
    )


def test_pillows_decompression_bomb_warning_is_an_error(monkeypatch):
    # With Pillow's limit lowered below our own, 1200 pixels is in its warning range (1000 to 2000).
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.warns(Image.DecompressionBombWarning):
        Image.open(io.BytesIO(png_bytes(Image.new("L", (40, 30)))))
    assert refused(png_bytes(Image.new("L", (40, 30))), "photo.png").startswith("The photo is too large in pixels")


def test_a_truncated_jpeg_is_refused():
    whole = noisy_jpeg_bytes()
    assert prepare_identity_image(upload(whole)).original_format == "JPEG"

    assert refused(whole[: len(whole) // 2]) == UNREADABLE
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_right_magic_bytes_followed_by_garbage_are_refused():
    assert refused(b"\xff\xd8\xff\xe0" + b"garbage" * 50) == UNREADABLE
    assert refused(identity_images.PNG_MAGIC + b"garbage" * 50, "photo.png") == UNREADABLE
    assert refused(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"garbage" * 50, "photo.heic") == UNREADABLE


def test_truncated_images_refused_even_if_someone_turned_on_load_truncated_images(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ImproperlyConfigured, match="LOAD_TRUNCATED_IMAGES"):
        prepare_identity_image(upload(jpeg_bytes()))


# Good photos


def test_a_jpeg_with_gps_exif_and_an_icc_profile_comes_out_with_no_metadata_at_all():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    original = jpeg_bytes((60, 40), exif=exif, icc_profile=b"\x00" * 128, comment=b"taken at home")
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really carries a position
        assert "icc_profile" in before.info

    prepared = prepare_identity_image(upload(original))

    assert prepared == PreparedImage(content=prepared.content, width=60, height=40, original_format="JPEG")
    after = reopen(prepared)
    assert len(after.getexif()) == 0
    assert "exif" not in after.info
    assert "icc_profile" not in after.info
    assert "comment" not in after.info
    assert b"Exif\x00\x00" not in prepared.content
    assert b"PhoneMaker" not in prepared.content
    assert b"taken at home" not in prepared.content


def test_a_png_with_transparency_becomes_an_rgb_jpeg_on_white():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (10, 0, 20, 20))

    prepared = prepare_identity_image(upload(png_bytes(image), "photo.png", "image/png"))

    after = reopen(prepared)
    assert (prepared.original_format, after.format, after.mode) == ("PNG", "JPEG", "RGB")
    assert all(channel > 240 for channel in after.getpixel((2, 10)))  # transparent -> white
    red, green, blue = after.getpixel((17, 10))
    assert blue > 200 and red < 40 and green < 40


def test_a_sixteen_bit_greyscale_png_keeps_its_tones():
    prepared = prepare_identity_image(upload(png_bytes(Image.new("I;16", (8, 8), 32768)), "scan.png"))
    red, _green, _blue = reopen(prepared).getpixel((4, 4))
    assert 120 <= red <= 136  # half of 16-bit white is mid grey, not clipped to white


def test_a_photo_with_an_exif_rotation_comes_out_upright():
    # Stored sideways, 40 wide and 20 high: left half red, right half blue. Orientation 6 means
    # "turn 90 degrees clockwise to show", so the upright photo is 20 wide, 40 high, red on top.
    sideways = Image.new("RGB", (40, 20), (255, 0, 0))
    sideways.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    out = io.BytesIO()
    sideways.save(out, "JPEG", exif=exif, quality=95)

    prepared = prepare_identity_image(upload(out.getvalue()))

    assert (prepared.width, prepared.height) == (20, 40)
    after = reopen(prepared)
    assert after.size == (20, 40)
    assert after.getpixel((10, 5))[0] > 200  # red at the top
    assert after.getpixel((10, 35))[2] > 200  # blue at the bottom
    assert len(after.getexif()) == 0  # no orientation left to apply twice


def test_the_format_comes_from_the_bytes_not_the_name_or_content_type():
    prepared = prepare_identity_image(upload(jpeg_bytes(), "photo.png", "application/pdf"))
    assert prepared.original_format == "JPEG"
    assert detect_format(png_bytes(Image.new("RGB", (2, 2)))) == "PNG"
    assert detect_format(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00") == "HEIF"
    assert detect_format(b"GIF89a") is None


def _can_encode_heic():
    return bool(pillow_heif.libheif_info().get("HEIF"))


@pytest.mark.skipif(not _can_encode_heic(), reason="this libheif has no HEVC encoder to make a test HEIC")
def test_an_iphone_heic_is_accepted_as_a_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 160, 20)).save(out, "HEIF", quality=90)
    heic = out.getvalue()
    assert detect_format(heic) == "HEIF"

    prepared = prepare_identity_image(upload(heic, "IMG_0001.HEIC", "image/heic"))

    assert (prepared.original_format, prepared.width, prepared.height) == ("HEIF", 64, 48)
    after = reopen(prepared)
    assert (after.format, after.mode) == ("JPEG", "RGB")
    _red, green, _blue = after.getpixel((32, 24))
    assert green > 120


# Private storage


@pytest.fixture
def private_dir(settings, tmp_path):
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


def test_a_prepared_photo_is_stored_under_a_random_name_and_read_back(private_dir):
    prepared = prepare_identity_image(upload(jpeg_bytes(), "Cathy Cook passport.jpg"))

    first = save_private_image(prepared.content)
    second = save_private_image(prepared.content)

    assert first != second
    assert identity_images.STORED_NAME.fullmatch(first)
    assert "Cathy" not in first and "passport" not in first
    assert (private_dir / first).read_bytes() == prepared.content
    with open_private_image(first) as stored:
        assert stored.read() == prepared.content


def test_deleting_a_photo_is_idempotent(private_dir):
    name = save_private_image(jpeg_bytes())

    delete_private_image(name)
    delete_private_image(name)

    assert not (private_dir / name).exists()
    with pytest.raises(FileNotFoundError):
        open_private_image(name)


def test_only_re_encoded_jpegs_are_stored(private_dir):
    with pytest.raises(ValueError):
        save_private_image(b"<html><script>alert(1)</script></html>")
    assert not private_dir.exists() or not any(private_dir.iterdir())


@pytest.mark.parametrize("name", ["../casserole.sqlite3", "/etc/passwd", "photo.jpg", "", "A" * 32 + ".jpg"])
def test_names_that_save_private_image_could_not_have_made_are_refused(private_dir, name):
    with pytest.raises(ValueError):
        open_private_image(name)
    with pytest.raises(ValueError):
        delete_private_image(name)
