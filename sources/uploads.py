"""What an upload form hands to a background import (sources.jobs.start_upload_import): the
uploaded files as they are, and each .zip among them expanded into its members, read as a
folder is walked (`sources.importer.iter_files`: directories, hidden files, macOS's
`__MACOSX/` and data files such as review.yaml are skipped).

An upload over the limits below, or a zip that cannot be read, is refused whole with
`UploadRefused` (its message is for the editor, in their language: gettext at request time)
before anything is stored. A file
or member over the import limit (IMPORT_MAX_BYTES) is not refused here: it is never read, and
the job lists it as refused, as the command does.
"""

import dataclasses
import logging
import lzma
import zipfile
import zlib
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from sources.decoding import Refused, decode
from sources.importer import SKIPPED_SUFFIXES, max_bytes_setting
from sources.jobs import TooLarge

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_FILES",
    "MAX_TOTAL_BYTES",
    "MAX_ZIP_MEMBERS",
    "UploadRefused",
    "Expanded",
    "expand",
    "is_zip",
]

# Files one upload may import, a zip's members counted one by one.
MAX_FILES = 1000
# Entries of one zip, folders and skipped files included (its directory is read whole).
MAX_ZIP_MEMBERS = 2000
# The bytes of one upload's files together, a zip's members counted uncompressed.
MAX_TOTAL_BYTES = 100 * 1024 * 1024


class UploadRefused(Exception):
    """The upload as a whole cannot be imported; the message says why, for the editor."""


@dataclasses.dataclass
class Expanded:
    # For start_upload_import, in order: UploadedFile, (name, bytes) or TooLarge.
    files: list
    # Zip members left out (hidden files, data files), by name.
    skipped: list


def is_zip(upload):
    return str(upload.name or "").lower().endswith(".zip")


def megabytes(size):
    """`size` bytes in MB for people: "100 MB", "2.5 MB"."""
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def expand(uploads, max_bytes=None):
    """The files to import from `uploads` (Django's UploadedFile objects): an Expanded, or
    UploadRefused."""
    max_bytes = max_bytes_setting() if max_bytes is None else max_bytes
    files, skipped, total = [], [], 0
    for upload in uploads:
        if is_zip(upload):
            members, left_out = _members(upload, max_bytes)
            files.extend(members)
            skipped.extend(left_out)
            total += sum(len(m[1]) for m in members if not isinstance(m, TooLarge))
        else:
            files.append(upload)
            total += upload.size if upload.size <= max_bytes else 0
        if len(files) > MAX_FILES:
            raise UploadRefused(
                _(
                    "One upload imports at most %(max)s files (a zip's files counted one by "
                    "one), and this one has more; upload them in several goes."
                )
                % {"max": MAX_FILES}
            )
        if total > MAX_TOTAL_BYTES:
            raise UploadRefused(
                _(
                    "The files of this upload come to more than %(size)s together (a zip "
                    "counted unpacked); upload them in several goes."
                )
                % {"size": megabytes(MAX_TOTAL_BYTES)}
            )
    if not files:
        raise UploadRefused(
            _(
                "The upload holds no file to import (its zips hold only folders, hidden files "
                "or data files); nothing was imported."
            )
        )
    return Expanded(files, skipped)


def _member_name(info):
    """The member's name: zip tools without the UTF-8 flag write names in the system's code
    page (GBK or Big5 on Chinese Windows), which zipfile reads as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    try:
        return decode(raw)[0]
    except Refused:
        return info.filename


def _left_out(name):
    parts = PurePosixPath(name).parts
    return (
        not parts
        or any(part.startswith(".") or part == "__MACOSX" for part in parts)
        or name.lower().endswith(SKIPPED_SUFFIXES)
    )


def _members(upload, max_bytes):
    """`(files, skipped)` of one uploaded zip, or UploadRefused."""
    zip_name = upload.name
    broken = _(
        "“%(zip)s” is not a valid zip file, or it is damaged and cannot be read; nothing was "
        "imported."
    ) % {"zip": zip_name}
    if upload.size > MAX_TOTAL_BYTES:
        raise UploadRefused(
            _(
                "“%(zip)s” is larger than %(size)s; split it into several smaller zips and "
                "upload them in several goes."
            )
            % {"zip": zip_name, "size": megabytes(MAX_TOTAL_BYTES)}
        )
    files: list[tuple[str, bytes] | TooLarge] = []
    skipped, unpacked = [], 0
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_MEMBERS:
                raise UploadRefused(
                    _(
                        "“%(zip)s” holds %(count)s entries, more than the limit of %(max)s; "
                        "split it into several zips and upload them in several goes."
                    )
                    % {"zip": zip_name, "count": len(entries), "max": MAX_ZIP_MEMBERS}
                )
            for info in entries:
                if info.is_dir():
                    continue
                name = _member_name(info)
                if _left_out(name):
                    skipped.append(name)
                    continue
                if info.flag_bits & 0x1:
                    raise UploadRefused(
                        _(
                            "“%(zip)s” is password-protected (“%(name)s” is encrypted) and "
                            "cannot be read; upload a zip without encryption."
                        )
                        % {"zip": zip_name, "name": name}
                    )
                if info.file_size > max_bytes:
                    files.append(TooLarge(name, info.file_size))
                    continue
                unpacked += info.file_size
                if unpacked > MAX_TOTAL_BYTES:
                    raise UploadRefused(
                        _(
                            "“%(zip)s” unpacks to more than %(size)s; split it into several "
                            "smaller zips and upload them in several goes."
                        )
                        % {"zip": zip_name, "size": megabytes(MAX_TOTAL_BYTES)}
                    )
                # Never more than the member's declared size (zipfile stops there) and its
                # CRC is checked: a member that lies about either is a broken zip.
                with archive.open(info) as member:
                    files.append((name, member.read(max_bytes + 1)))
    except UploadRefused:
        raise
    except NotImplementedError as exc:  # a compression method zipfile lacks
        raise UploadRefused(
            _(
                "“%(zip)s” uses a compression method that cannot be read; pack it again as an "
                "ordinary zip (Deflate)."
            )
            % {"zip": zip_name}
        ) from exc
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError) as exc:
        raise UploadRefused(broken) from exc
    except Exception as exc:  # noqa: BLE001 - whatever else a crafted zip provokes: a 400
        logger.warning("Upload %r is an unreadable zip: %r", zip_name, exc)
        raise UploadRefused(broken) from exc
    return files, skipped
